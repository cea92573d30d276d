package dev.reactivews.client.internal;

import dev.reactivews.TopicAction;
import dev.reactivews.client.HeldVersion;
import java.util.Locale;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.node.ObjectNode;

/** The client's side of the wire protocol: operation frames out, state frames in. */
public final class Protocol {
  /** An operation on a topic, as sent or as found in a raw text. */
  record Operation(TopicAction type, String topic) {}

  /** A state frame {@code {"topic":T,"payload":P}}, with its version (null for none) when it has {@code "v"}. */
  record State(String topic, JsonNode payload, HeldVersion version) {}

  private final ObjectMapper mapper;
  /** Strict about what follows the value, as JSON.parse is: {@code 12 monkeys} is text, not 12. */
  private final ObjectReader reader;

  Protocol(ObjectMapper mapper) {
    this.mapper = mapper;
    this.reader = mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  /** The topic, or {@link IllegalArgumentException} when it is null or empty. */
  public static String checkTopic(String topic) {
    if (topic == null || topic.isEmpty()) {
      throw new IllegalArgumentException("a topic must be a non-empty string, got " + (topic == null ? "null" : "\"\""));
    }
    return topic;
  }

  /** The value of {@code type} on the wire: {@code "subscribe"}, {@code "unsubscribe"} or {@code "publish"}. */
  static String wire(TopicAction action) {
    return action.name().toLowerCase(Locale.ROOT);
  }

  /** {@code {"type":...,"topic":...}}, with {@code "payload"} for a publish. */
  String encode(TopicAction type, String topic, Object payload) {
    ObjectNode frame = mapper.createObjectNode().put("type", wire(type)).put("topic", topic);
    try {
      if (type == TopicAction.PUBLISH) {
        frame.set("payload", mapper.valueToTree(payload));
      }
      return mapper.writeValueAsString(frame);
    } catch (JacksonException | IllegalArgumentException e) {
      throw new IllegalArgumentException("cannot encode the payload for topic '" + topic + "': " + e.getMessage(), e);
    }
  }

  /** The JSON value of a text, or null when it is not JSON. Never throws. */
  JsonNode parse(String text) {
    String trimmed = text.strip();
    if (trimmed.isEmpty() || "{[\"-0123456789tfn".indexOf(trimmed.charAt(0)) < 0) {
      return null;
    }
    try {
      return reader.readTree(trimmed);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The operation a raw text carries ({@code {"type":"subscribe","topic":"chat"}}), or null. */
  Operation operationOf(String text) {
    JsonNode value = text.stripLeading().startsWith("{") ? parse(text) : null;
    if (value == null || !value.isObject() || !value.path("type").isString() || !value.path("topic").isString()) {
      return null;
    }
    String type = value.get("type").stringValue();
    for (TopicAction candidate : TopicAction.values()) {
      if (wire(candidate).equals(type)) {
        return new Operation(candidate, value.get("topic").stringValue());
      }
    }
    return null;
  }

  /** The state a parsed message carries, or null when it is not a state frame. */
  static State stateOf(JsonNode value) {
    if (value == null || !value.isObject() || !value.path("topic").isString() || !value.has("payload")) {
      return null;
    }
    return new State(value.get("topic").stringValue(), value.get("payload"), versionOf(value));
  }

  /**
   * {@code (epoch, v)} of a state frame, {@code "0"} standing for a missing epoch; null unless
   * {@code v} is a whole number of 0 or more and {@code epoch}, if there, a string. A frame
   * whose version is unusable still sets the state: only its version is not held.
   */
  private static HeldVersion versionOf(JsonNode frame) {
    JsonNode number = frame.path("v");
    JsonNode epoch = frame.path("epoch");
    if (!number.isIntegralNumber() || !number.canConvertToLong() || number.longValue() < 0
        || !(epoch.isMissingNode() || epoch.isString())) {
      return null;
    }
    return new HeldVersion(epoch.isString() ? epoch.stringValue() : "0", number.longValue());
  }

  ObjectMapper mapper() {
    return mapper;
  }
}
