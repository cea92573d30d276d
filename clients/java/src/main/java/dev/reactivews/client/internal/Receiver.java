package dev.reactivews.client.internal;

import dev.reactivews.client.Data;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * What a message from the server means: a state of a topic (as its bound type, if it has one), a
 * patch of one (with deltas), data, or nothing for the listeners (the heartbeat's answer).
 * Stateless, so any thread may call it: a patch needs the state held, so the {@link Lifecycle}
 * applies it, and has it decoded here.
 */
final class Receiver {
  /** A state (with its typed value), a patch or a data message, to apply to the snapshot: exactly one is not null. */
  record Inbound(Protocol.State state, Object typed, Protocol.Patch patch, Data data) {}

  /** A payload that does not fit its topic's bound type: reported to the listeners, the previous state kept. */
  static final class MisfitState extends Exception {
    private MisfitState() {
      super(null, null, false, false);
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger(Receiver.class);

  private final ObjectMapper mapper;
  private final Protocol protocol;
  private final String heartbeatResponse;
  private final Dispatcher dispatcher;
  private final String client;
  private final boolean deltas;
  /** The bound type per topic. */
  private final Map<String, JavaType> bindings;

  Receiver(ClientOptions options, Protocol protocol, Dispatcher dispatcher, String client) {
    this.mapper = protocol.mapper();
    this.protocol = protocol;
    this.heartbeatResponse = options.heartbeat().responseMessage();
    this.dispatcher = dispatcher;
    this.client = client;
    this.deltas = options.deltas();
    Map<String, JavaType> types = new HashMap<>();
    options.bindings().forEach((topic, type) -> types.put(topic, mapper.constructType(type)));
    this.bindings = Map.copyOf(types);
  }

  /** Null for the heartbeat's answer, and for a state that does not fit its type (the listeners hear that error). */
  Inbound text(String text) {
    if (text.equals(heartbeatResponse)) {
      return null;
    }
    JsonNode value = protocol.parse(text);
    Protocol.State state = Protocol.stateOf(value);
    if (state != null) {
      try {
        return new Inbound(state, typed(state.topic(), state.payload()), null, null);
      } catch (MisfitState reported) {
        return null;
      }
    }
    Protocol.Patch patch = deltas ? Protocol.patchOf(value) : null;
    if (patch != null) {
      return new Inbound(null, null, patch, null);
    }
    return new Inbound(null, null, null, RealData.text(mapper, text, value));
  }

  Inbound binary(byte[] bytes) {
    return new Inbound(null, null, null, RealData.binary(mapper, bytes));
  }

  /**
   * What {@link dev.reactivews.client.States#get(String)} gives for the payload: an instance of
   * the topic's bound type, or the JSON itself when it has none. A payload that does not fit is
   * logged and reported to the error listeners before {@link MisfitState} is thrown.
   */
  Object typed(String topic, JsonNode payload) throws MisfitState {
    JavaType type = bindings.get(topic);
    if (type == null) {
      return payload;
    }
    try {
      return mapper.treeToValue(payload, type);
    } catch (JacksonException | IllegalArgumentException e) {
      IllegalArgumentException error = new IllegalArgumentException(
          "the state of topic '" + topic + "' does not fit " + type + "; kept the previous one", e);
      LOG.warn("{}: {}", client, error.getMessage(), e);
      dispatcher.post(new Dispatcher.Failed(error));
      throw new MisfitState();
    }
  }
}
