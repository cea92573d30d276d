package dev.reactivews.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.reactivews.state.Change;
import dev.reactivews.state.StateVersion;
import dev.reactivews.transport.OutboundFrame;
import dev.reactivews.validation.Issue;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

/**
 * The server's side of the wire protocol: how states, errors and raw data become frames. The
 * app's payloads go through the app's mapper, whose settings (property order, dates, modules)
 * are the app's to choose; the frame around them is the framework's, written the same way
 * whatever the mapper.
 */
final class Frames {
  static final OutboundFrame PONG = OutboundFrame.text("pong", false);
  private static final byte[] TOPIC_FIELD = "{\"topic\":".getBytes(StandardCharsets.UTF_8);
  private static final byte[] PAYLOAD_FIELD = ",\"payload\":".getBytes(StandardCharsets.UTF_8);
  private static final byte[] PATCH_FIELD = ",\"patch\":".getBytes(StandardCharsets.UTF_8);
  private static final byte[] MERGE_FIELD = ",\"merge\":".getBytes(StandardCharsets.UTF_8);

  private final Json json;
  private final ObjectMapper payloads;

  Frames(Json json, ObjectMapper payloads) {
    this.json = json;
    this.payloads = payloads;
  }

  /**
   * {@code {"topic":T,"v":N,"epoch":"E","payload":P}}: {@code v} and {@code epoch} only when the
   * state has a version, {@code epoch} only when it is not 0, as a string, so that a client in
   * JavaScript keeps every digit of a long and compares it as an opaque name. nuxt-ws's client
   * reads {@code topic} and {@code payload} only, so the members between them cost it nothing.
   */
  OutboundFrame state(String topic, Object payload, boolean compress, StateVersion version) {
    byte[] name = json.encode(topic);
    byte[] members = version == null ? new byte[0] : versionMembers(version);
    return new OutboundFrame(topicObject(name, members, PAYLOAD_FIELD, encodePayload(payload)), true, compress);
  }

  /**
   * {@code {"topic":T,"v":N,"patch":[...]}} for a JSON Patch, {@code {"topic":T,"v":N,"merge":{...}}}
   * for a JSON Merge Patch: the store's body as it is, never parsed again. No {@code payload}, so
   * that a client that knows only states never takes it for one, and no {@code epoch}: it applies
   * to version {@code N - 1} of the epoch the client holds.
   */
  OutboundFrame patch(String topic, long number, Change.Form form, byte[] body, boolean compress) {
    byte[] field = switch (form) {
      case PATCH -> PATCH_FIELD;
      case MERGE -> MERGE_FIELD;
      case STATE -> throw new IllegalArgumentException("a whole state is no patch: send it as a state frame");
    };
    byte[] members = (",\"v\":" + number).getBytes(StandardCharsets.US_ASCII);
    return new OutboundFrame(topicObject(json.encode(topic), members, field, body), true, compress);
  }

  /** {@code {"topic":} name, members, field, value and {@code }}}, in one array. */
  private static byte[] topicObject(byte[] name, byte[] members, byte[] field, byte[] value) {
    byte[] frame = Arrays.copyOf(TOPIC_FIELD,
        TOPIC_FIELD.length + name.length + members.length + field.length + value.length + 1);
    int at = TOPIC_FIELD.length;
    for (byte[] part : new byte[][] {name, members, field, value}) {
      System.arraycopy(part, 0, frame, at, part.length);
      at += part.length;
    }
    frame[frame.length - 1] = '}';
    return frame;
  }

  /** {@code ,"v":N} and, for an epoch other than 0, {@code ,"epoch":"E"}: numbers, so nothing to escape. */
  private static byte[] versionMembers(StateVersion version) {
    String members = ",\"v\":" + version.number()
        + (version.epoch() == 0 ? "" : ",\"epoch\":\"" + version.epoch() + '"');
    return members.getBytes(StandardCharsets.US_ASCII);
  }

  /** A String as text, a byte[] as binary, anything else as JSON text. */
  OutboundFrame data(Object data, boolean compress) {
    return switch (data) {
      case String text -> OutboundFrame.text(text, compress);
      case byte[] bytes -> new OutboundFrame(bytes, false, compress);
      default -> new OutboundFrame(encodePayload(data), true, compress);
    };
  }

  /** {@code {"type":"error","code":...,"message":...,"issues":[...]}}; issues only when there are some. */
  OutboundFrame error(ErrorCode code, String message, List<Issue> issues) {
    return new OutboundFrame(
        json.encode(new Error("error", code.wire, message, issues.isEmpty() ? null : issues)), true, false);
  }

  private byte[] encodePayload(Object payload) {
    try {
      return payloads.writeValueAsBytes(payload);
    } catch (JacksonException e) {
      String type = payload == null ? "null" : payload.getClass().getName();
      throw new IllegalArgumentException("Cannot encode as JSON: " + type + ": " + e.getOriginalMessage(), e);
    }
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  private record Error(String type, String code, String message, List<Issue> issues) {}
}
