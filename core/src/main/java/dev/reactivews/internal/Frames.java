package dev.reactivews.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
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

  private final Json json;
  private final ObjectMapper payloads;

  Frames(Json json, ObjectMapper payloads) {
    this.json = json;
    this.payloads = payloads;
  }

  /** {@code {"topic": topic, "payload": payload}}. */
  OutboundFrame state(String topic, Object payload, boolean compress) {
    byte[] name = json.encode(topic);
    byte[] value = encodePayload(payload);
    byte[] frame = Arrays.copyOf(TOPIC_FIELD, TOPIC_FIELD.length + name.length + PAYLOAD_FIELD.length + value.length + 1);
    int at = TOPIC_FIELD.length;
    System.arraycopy(name, 0, frame, at, name.length);
    at += name.length;
    System.arraycopy(PAYLOAD_FIELD, 0, frame, at, PAYLOAD_FIELD.length);
    at += PAYLOAD_FIELD.length;
    System.arraycopy(value, 0, frame, at, value.length);
    frame[frame.length - 1] = '}';
    return new OutboundFrame(frame, true, compress);
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
