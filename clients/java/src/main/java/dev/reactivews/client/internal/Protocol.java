package dev.reactivews.client.internal;

import dev.reactivews.TopicAction;
import dev.reactivews.client.HeldVersion;
import dev.reactivews.internal.JsonMergePatch;
import dev.reactivews.internal.JsonPatch;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.node.ObjectNode;

/**
 * The client's side of the wire protocol: operation and resync frames out, state and patch frames
 * in. The patches are applied by core's JSON Patch and JSON Merge Patch, the server's own.
 */
public final class Protocol {
  /** An operation on a topic, as sent or as found in a raw text. */
  record Operation(TopicAction type, String topic) {}

  /** A state frame {@code {"topic":T,"payload":P}}, with its version (null for none) when it has {@code "v"}. */
  record State(String topic, JsonNode payload, HeldVersion version) {}

  /**
   * A patch frame: {@code {"topic":T,"v":n,"patch":[...]}} (JSON Patch) when {@code operations}
   * is not null, else {@code {"topic":T,"v":n,"merge":M}} (JSON Merge Patch).
   */
  record Patch(String topic, long number, JsonNode operations, JsonNode merge) {
    /** The state {@code held} with this patch applied; {@link dev.reactivews.internal.JsonPatchException} when it does not apply. */
    JsonNode applyTo(JsonNode held) {
      return operations != null ? JsonPatch.apply(held, operations) : JsonMergePatch.apply(held, merge);
    }
  }

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

  /** {@code name=value} for a URL's query, both encoded as a form is, but a space as {@code %20}. */
  public static String queryParameter(String name, String value) {
    return urlEncode(name) + "=" + urlEncode(value);
  }

  private static String urlEncode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** {@code {"type":"subscribe","topic":T}}, with {@code "epoch"} and {@code "v"} when it holds a version. */
  String subscribe(String topic, HeldVersion held) {
    return withVersion(mapper.createObjectNode().put("type", wire(TopicAction.SUBSCRIBE)).put("topic", topic), held);
  }

  /** {@code {"type":"resync","topic":T,"epoch":E,"v":n}}: send what follows on from {@code held}; without a version (null): send the whole state. */
  String resync(String topic, HeldVersion held) {
    return withVersion(mapper.createObjectNode().put("type", "resync").put("topic", topic), held);
  }

  private String withVersion(ObjectNode frame, HeldVersion held) {
    if (held != null) {
      frame.put("epoch", held.epoch()).put("v", held.number());
    }
    return mapper.writeValueAsString(frame);
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
   * The patch a parsed message carries, or null when it is not a patch frame: an object with a
   * string {@code topic}, a whole number {@code v}, no {@code payload} (that would make it a
   * state), and an array {@code patch} or any {@code merge}.
   */
  static Patch patchOf(JsonNode value) {
    if (value == null || !value.isObject() || !value.path("topic").isString() || value.has("payload")) {
      return null;
    }
    JsonNode number = value.path("v");
    if (!number.isIntegralNumber() || !number.canConvertToLong()) {
      return null;
    }
    String topic = value.get("topic").stringValue();
    if (value.path("patch").isArray()) {
      return new Patch(topic, number.longValue(), value.get("patch"), null);
    }
    return value.has("merge") ? new Patch(topic, number.longValue(), null, value.get("merge")) : null;
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
