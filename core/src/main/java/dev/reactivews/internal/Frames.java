package dev.reactivews.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.reactivews.transport.OutboundFrame;
import dev.reactivews.validation.Issue;
import java.util.List;

/** The server's side of the wire protocol: how states, errors and raw data become frames. */
final class Frames {
  static final OutboundFrame PONG = OutboundFrame.text("pong", false);

  private final Json json;

  Frames(Json json) {
    this.json = json;
  }

  /** {@code {"topic": topic, "payload": payload}}. */
  OutboundFrame state(String topic, Object payload, boolean compress) {
    return new OutboundFrame(json.encode(new State(topic, payload)), true, compress);
  }

  /** A String as text, a byte[] as binary, anything else as JSON text. */
  OutboundFrame data(Object data, boolean compress) {
    return switch (data) {
      case String text -> OutboundFrame.text(text, compress);
      case byte[] bytes -> new OutboundFrame(bytes, false, compress);
      default -> new OutboundFrame(json.encode(data), true, compress);
    };
  }

  /** {@code {"type":"error","code":...,"message":...,"issues":[...]}}; issues only when there are some. */
  OutboundFrame error(ErrorCode code, String message, List<Issue> issues) {
    return new OutboundFrame(
        json.encode(new Error("error", code.wire, message, issues.isEmpty() ? null : issues)), true, false);
  }

  private record State(String topic, Object payload) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  private record Error(String type, String code, String message, List<Issue> issues) {}
}
