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
 * What a message from the server means: a state of a topic (as its bound type, if it has one), data,
 * or nothing for the listeners (the heartbeat's answer). Stateless, so any thread may call it.
 */
final class Receiver {
  /** A state (with its typed value) or a data message, to apply to the snapshot. */
  record Inbound(Protocol.State state, Object typed, Data data) {}

  private static final Logger LOG = LoggerFactory.getLogger(Receiver.class);

  private final ObjectMapper mapper;
  private final Protocol protocol;
  private final String heartbeatResponse;
  private final Dispatcher dispatcher;
  private final String client;
  /** The bound type per topic. */
  private final Map<String, JavaType> bindings;

  Receiver(ClientOptions options, Protocol protocol, Dispatcher dispatcher, String client) {
    this.mapper = protocol.mapper();
    this.protocol = protocol;
    this.heartbeatResponse = options.heartbeat().responseMessage();
    this.dispatcher = dispatcher;
    this.client = client;
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
    if (state == null) {
      return new Inbound(null, null, RealData.text(mapper, text, value));
    }
    Object typed = state.payload();
    JavaType type = bindings.get(state.topic());
    if (type != null) {
      try {
        typed = mapper.treeToValue(state.payload(), type);
      } catch (JacksonException | IllegalArgumentException e) {
        IllegalArgumentException error = new IllegalArgumentException(
            "the state of topic '" + state.topic() + "' does not fit " + type + "; kept the previous one", e);
        LOG.warn("{}: {}", client, error.getMessage(), e);
        dispatcher.post(new Dispatcher.Failed(error));
        return null;
      }
    }
    return new Inbound(state, typed, null);
  }

  Inbound binary(byte[] bytes) {
    return new Inbound(null, null, RealData.binary(mapper, bytes));
  }
}
