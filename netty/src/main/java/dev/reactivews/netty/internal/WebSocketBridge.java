package dev.reactivews.netty.internal;

import dev.reactivews.CloseEvent;
import dev.reactivews.UpgradeRequest;
import dev.reactivews.WsCloseStatus;
import dev.reactivews.internal.LogText;
import dev.reactivews.transport.TransportPolicy;
import dev.reactivews.transport.WsEngine;
import dev.reactivews.transport.WsSocketListener;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.compression.DecompressionException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler.HandshakeComplete;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionEncoder;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects one channel to the engine: binds a peer when the handshake completes, hands it
 * whole messages, pings it when it goes quiet, and reports how the connection ended.
 */
final class WebSocketBridge extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(WebSocketBridge.class);

  /** Set on channels that completed the WebSocket handshake. */
  static final AttributeKey<Boolean> WEBSOCKET = AttributeKey.valueOf("reactive-ws.websocket");

  private final WsEngine engine;
  private final WriteSettings writeSettings;
  /** Null until the handshake completes. */
  private NettySocket connection;

  private WsSocketListener listener;

  WebSocketBridge(WsEngine engine, WriteSettings writeSettings) {
    this.engine = engine;
    this.writeSettings = writeSettings;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event instanceof HandshakeComplete) {
      open(ctx, ctx.channel().attr(UpgradeHandler.UPGRADE_REQUEST).getAndSet(null));
    } else if (event instanceof FastHandshake.Upgraded upgraded) {
      open(ctx, upgraded.request());
    } else if (event instanceof IdleStateEvent idle) {
      onIdle(ctx, idle);
    } else {
      super.userEventTriggered(ctx, event);
    }
  }

  private void open(ChannelHandlerContext ctx, UpgradeRequest request) {
    ctx.channel().attr(WEBSOCKET).set(Boolean.TRUE);
    // The extension's encoder joins the pipeline before the handshake completes; deflate is the only extension.
    boolean deflate = ctx.pipeline().get(WebSocketExtensionEncoder.class) != null;
    ChannelHandlerContext frameEncoder = ctx.pipeline().context(WebSocketFrameEncoder.class);
    // Both serve HTTP requests only (the full stack's); an idle connection is mostly its pipeline, so they go.
    if (ctx.pipeline().get(UpgradeHandler.class) != null) {
      ctx.pipeline().remove(UpgradeHandler.class);
      ctx.pipeline().remove(HttpRouter.class);
    }
    connection = new NettySocket(frameEncoder, writeSettings, deflate);
    listener = engine.open(connection, request);
    String frameDecoder = ctx.pipeline().context(WebSocketFrameDecoder.class).name();
    ctx.pipeline().addAfter(frameDecoder, "frame-rules", new InboundFrameRules(connection, listener, deflate));
  }

  /**
   * {@link TransportPolicy#pingAfter} without a read: ping; as long again, which makes {@link
   * TransportPolicy#closeAfter}: give up on the peer.
   */
  private void onIdle(ChannelHandlerContext ctx, IdleStateEvent idle) {
    if (connection == null) {
      ctx.close();
    } else if (idle.isFirst()) {
      ctx.writeAndFlush(new PingWebSocketFrame());
    } else {
      LOG.info("closing a connection that answered no ping for {}", engine.config().idleTimeout());
      connection.close(WsCloseStatus.GOING_AWAY.code(), "idle timeout");
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (listener == null) {
        LOG.debug("dropping {} before the handshake completed", msg.getClass().getSimpleName());
      } else if (msg instanceof TextWebSocketFrame text) {
        listener.onText(text.text());
      } else if (msg instanceof BinaryWebSocketFrame binary) {
        listener.onBinary(ByteBufUtil.getBytes(binary.content()));
      } else if (msg instanceof CloseWebSocketFrame close) {
        connection.closedByPeer(close.statusCode(), close.reasonText());
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (listener != null) {
      CloseEvent event = connection.closeEvent();
      listener.onClosed(event.code(), event.reason());
    }
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (connection == null) {
      LOG.debug("HTTP connection failed", cause);
      ctx.close();
    } else if (cause instanceof TooLongFrameException || cause instanceof DecompressionException) {
      LOG.info("closing a peer that sent a message over {} bytes", engine.config().maxMessageBytes());
      connection.close(WsCloseStatus.MESSAGE_TOO_BIG.code(), "message too big");
    } else if (cause instanceof CorruptedWebSocketFrameException corrupted) {
      LOG.info("closing a peer that broke the protocol: {}", LogText.escape(cause.getMessage()));
      connection.close(corrupted.closeStatus().code(), corrupted.closeStatus().reasonText());
    } else if (cause instanceof CorruptedFrameException) {
      LOG.info("closing a peer that broke the protocol: {}", LogText.escape(cause.getMessage()));
      connection.close(WsCloseStatus.PROTOCOL_ERROR.code(), "protocol error");
    } else if (cause instanceof IOException) {
      LOG.debug("connection failed", cause);
      ctx.close();
    } else if (!ctx.channel().isActive()) {
      // What the end of the connection cut short (a half-aggregated message, say): nothing left to do.
      LOG.debug("failure after the connection closed", cause);
    } else {
      LOG.warn("unexpected failure on a WebSocket connection", cause);
      connection.close(WsCloseStatus.INTERNAL_ERROR.code(), "internal error");
    }
  }
}
