package dev.reactivews.netty.internal;

import dev.reactivews.transport.OutboundFrame;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionFilter;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionFilterProvider;

/**
 * Frames to write, wrapping the shared bytes of an {@link OutboundFrame} without copying.
 * Only frames sent with {@code compress} are deflated: the rest skip the extension's encoder.
 */
final class CompressibleFrames {
  private CompressibleFrames() {}

  /** Marks a frame the deflate encoder may compress. */
  private interface Compressible {}

  private static final class CompressibleText extends TextWebSocketFrame implements Compressible {
    CompressibleText(byte[] bytes) {
      super(Unpooled.wrappedBuffer(bytes));
    }
  }

  private static final class CompressibleBinary extends BinaryWebSocketFrame implements Compressible {
    CompressibleBinary(byte[] bytes) {
      super(Unpooled.wrappedBuffer(bytes));
    }
  }

  private static final WebSocketExtensionFilter SKIP_UNLESS_COMPRESSIBLE =
      frame -> !(frame instanceof Compressible);

  static final WebSocketExtensionFilterProvider FILTER_PROVIDER = new WebSocketExtensionFilterProvider() {
    @Override
    public WebSocketExtensionFilter encoderFilter() {
      return SKIP_UNLESS_COMPRESSIBLE;
    }

    @Override
    public WebSocketExtensionFilter decoderFilter() {
      return WebSocketExtensionFilter.NEVER_SKIP;
    }
  };

  static WebSocketFrame of(OutboundFrame frame) {
    byte[] bytes = frame.bytes();
    if (frame.compress()) {
      return frame.text() ? new CompressibleText(bytes) : new CompressibleBinary(bytes);
    }
    return frame.text()
        ? new TextWebSocketFrame(Unpooled.wrappedBuffer(bytes))
        : new BinaryWebSocketFrame(Unpooled.wrappedBuffer(bytes));
  }
}
