package dev.reactivews.netty.internal;

import dev.reactivews.WsCloseStatus;
import dev.reactivews.internal.LogText;
import dev.reactivews.transport.WsSocketListener;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtension;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits right after the frame decoder of an upgraded channel, before permessage-deflate and
 * Netty's protocol handler. It closes with 1002 what the decoder lets through but RFC 6455
 * forbids here: reserved bits no extension negotiated (the decoder must allow them all for
 * permessage-deflate), and close codes past 4999. And it takes the pings, which Netty would
 * answer at once, outside the peer's outbound bound and message rate.
 */
final class InboundFrameRules extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(InboundFrameRules.class);
  private static final int HIGHEST_CLOSE_CODE = 4999;

  private final NettySocket connection;
  private final WsSocketListener listener;
  /** Whether permessage-deflate was negotiated: then RSV1 marks a compressed message's first frame. */
  private final boolean deflate;

  InboundFrameRules(NettySocket connection, WsSocketListener listener, boolean deflate) {
    this.connection = connection;
    this.listener = listener;
    this.deflate = deflate;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof WebSocketFrame frame)) {
      ctx.fireChannelRead(msg);
      return;
    }
    String violation = violation(frame);
    if (violation != null) {
      ReferenceCountUtil.release(msg);
      LOG.info("closing {}: it broke the protocol: {}", ctx.channel().remoteAddress(), LogText.escape(violation));
      connection.close(WsCloseStatus.PROTOCOL_ERROR.code(), "protocol error");
    } else if (frame instanceof PingWebSocketFrame ping) {
      try {
        if (listener.onPing()) {
          connection.pong(ByteBufUtil.getBytes(ping.content()));
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    } else {
      ctx.fireChannelRead(msg);
    }
  }

  /** What is wrong with the frame, or null. */
  private String violation(WebSocketFrame frame) {
    int rsv = frame.rsv();
    boolean firstDataFrame = frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame;
    int allowed = deflate && firstDataFrame ? WebSocketExtension.RSV1 : 0;
    if ((rsv & ~allowed) != 0) {
      return "reserved bits " + Integer.toBinaryString(rsv) + " that no extension negotiated";
    }
    if (frame instanceof CloseWebSocketFrame close && close.statusCode() > HIGHEST_CLOSE_CODE) {
      return "close code " + close.statusCode();
    }
    return null;
  }
}
