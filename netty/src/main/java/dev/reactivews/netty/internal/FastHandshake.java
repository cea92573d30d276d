package dev.reactivews.netty.internal;

import dev.reactivews.UpgradeRequest;
import dev.reactivews.transport.WsEngine;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtension;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection's first handler: when its first read is a plain WebSocket handshake ({@link
 * HandshakeHead}), answers it here and puts only the WebSocket's handlers in the pipeline, none of
 * the HTTP stack's, which an idle connection would otherwise pay for in garbage and in handlers
 * that linger. Any other first read gets the full HTTP stack ({@link
 * ServerInitializer#addHttpStack}), which reads the same bytes from the start, so what it answers
 * is unchanged. Until that first read it holds the head timeout.
 */
final class FastHandshake extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(FastHandshake.class);
  private static final byte[] ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SWITCHING = ("HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\n"
      + "connection: upgrade\r\nsec-websocket-accept: ").getBytes(StandardCharsets.US_ASCII);
  private static final FastThreadLocal<MessageDigest> SHA1 = new FastThreadLocal<>() {
    @Override
    protected MessageDigest initialValue() throws NoSuchAlgorithmException {
      return MessageDigest.getInstance("SHA-1");
    }
  };

  /** The event that tells {@link WebSocketBridge} the handshake was answered here. */
  record Upgraded(UpgradeRequest request) {}

  private final ServerInitializer stacks;
  private final WsEngine engine;
  private final HttpRefusalLog refusals;
  private final HttpConnections.Ticket httpCount;
  private long openedNanos;
  private ScheduledFuture<?> headDeadline;
  private boolean read;

  FastHandshake(ServerInitializer stacks, WsEngine engine, HttpRefusalLog refusals, HttpConnections.Ticket httpCount) {
    this.stacks = stacks;
    this.engine = engine;
    this.refusals = refusals;
    this.httpCount = httpCount;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    openedNanos = System.nanoTime();
    headDeadline = ctx.executor().schedule(() -> {
      headDeadline = null;
      // What comes while the answer goes out is dropped, never read as a request.
      read = true;
      String why = HttpRequestGuard.headTimedOut(stacks.httpLimits());
      refusals.log("head-timeout", "answering 408 to " + ctx.channel().remoteAddress() + ": " + why);
      answer(ctx, new UpgradeHandler.Refusal(HttpResponseStatus.REQUEST_TIMEOUT, why));
    }, stacks.httpLimits().requestHeadTimeout().toNanos(), TimeUnit.NANOSECONDS);
    super.channelActive(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (read || !(msg instanceof ByteBuf bytes)) {
      // Reading is off while the hook decides; what was already on its way is a client's that did not wait for the 101.
      LOG.debug("dropping bytes that came before the handshake was answered, from {}", ctx.channel().remoteAddress());
      ReferenceCountUtil.release(msg);
      return;
    }
    read = true;
    cancelHeadDeadline();
    HandshakeHead head = HandshakeHead.parse(bytes, engine.config().route());
    URI uri = head == null ? null : uriOf(head.target());
    if (uri == null) {
      ChannelPipeline pipeline = ctx.pipeline();
      stacks.addHttpStack(pipeline, httpCount, openedNanos);
      pipeline.remove(this);
      ctx.fireChannelRead(bytes);
      return;
    }
    bytes.release();
    UpgradeRequest upgrade = new UpgradeRequest(uri, head.headers(), (InetSocketAddress) ctx.channel().remoteAddress());
    UpgradeHandler.admit(ctx, engine, upgrade, refusal -> answer(ctx, refusal), () -> upgrade(ctx, head, upgrade));
  }

  private void upgrade(ChannelHandlerContext ctx, HandshakeHead head, UpgradeRequest upgrade) {
    if (!ctx.channel().isActive()) {
      return;
    }
    WebSocketServerExtension deflate = stacks.negotiateDeflate(head.extensions());
    ByteBuf response = ctx.alloc().buffer(256);
    response.writeBytes(SWITCHING).writeBytes(accept(head.key()));
    String subprotocol = stacks.selectSubprotocol(head.subprotocols());
    if (subprotocol != null) {
      response.writeCharSequence("\r\nsec-websocket-protocol: " + subprotocol, StandardCharsets.US_ASCII);
    }
    if (deflate != null) {
      response.writeCharSequence("\r\nsec-websocket-extensions: " + ServerInitializer.headerValue(deflate.newReponseData()),
          StandardCharsets.US_ASCII);
    }
    response.writeCharSequence("\r\n\r\n", StandardCharsets.US_ASCII);
    // The WebSocket's own limits hold the connection from here on.
    httpCount.leave();
    ctx.writeAndFlush(response);
    ChannelPipeline pipeline = ctx.pipeline();
    stacks.addWebSocketStack(pipeline, deflate);
    pipeline.remove(this);
    pipeline.fireUserEventTriggered(new Upgraded(upgrade));
  }

  private static URI uriOf(String target) {
    try {
      return new URI(target);
    } catch (URISyntaxException invalid) {
      return null;
    }
  }

  /** {@code Sec-WebSocket-Accept} (RFC 6455 4.2.2): base64 of the SHA-1 of the key and the protocol's GUID. */
  private static byte[] accept(String key) {
    MessageDigest sha1 = SHA1.get();
    sha1.reset();
    sha1.update(key.getBytes(StandardCharsets.US_ASCII));
    return Base64.getEncoder().encode(sha1.digest(ACCEPT_GUID));
  }

  /** An HTTP answer, the only one this connection gets: its encoder joins the pipeline for it. */
  private static void answer(ChannelHandlerContext ctx, UpgradeHandler.Refusal refusal) {
    if (!ctx.channel().isActive()) {
      return;
    }
    ctx.pipeline().addBefore(ctx.name(), "http-encoder", new HttpResponseEncoder());
    UpgradeHandler.respond(ctx, refusal);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event instanceof IdleStateEvent) {
      ctx.close();
      return;
    }
    super.userEventTriggered(ctx, event);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    cancelHeadDeadline();
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("connection failed before its handshake", cause);
    ctx.close();
  }

  private void cancelHeadDeadline() {
    if (headDeadline != null) {
      headDeadline.cancel(false);
      headDeadline = null;
    }
  }
}
