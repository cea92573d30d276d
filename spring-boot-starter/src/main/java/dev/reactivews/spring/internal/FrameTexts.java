package dev.reactivews.spring.internal;

import dev.reactivews.transport.OutboundFrame;
import java.nio.charset.StandardCharsets;

/**
 * The container sends text as a String: a fan-out hands the same frame to every subscriber in a
 * row, so remembering the last frame's text decodes it once for all of them, not once per peer.
 */
final class FrameTexts {
  private record Decoded(OutboundFrame frame, String text) {}

  private volatile Decoded last;

  String of(OutboundFrame frame) {
    Decoded decoded = last;
    if (decoded != null && decoded.frame() == frame) {
      return decoded.text();
    }
    String text = new String(frame.bytes(), StandardCharsets.UTF_8);
    last = new Decoded(frame, text);
    return text;
  }
}
