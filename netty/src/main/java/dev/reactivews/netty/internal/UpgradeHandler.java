package dev.reactivews.netty.internal;

import dev.reactivews.UpgradeRejectedException;
import dev.reactivews.UpgradeRequest;
import dev.reactivews.transport.WsEngine;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the app's upgrade hook on a WebSocket handshake request, off the I/O thread, before the
 * protocol handler answers it: a refusal becomes an HTTP error and no socket opens; an
 * acceptance passes the request on with its {@link UpgradeRequest} attached to the channel.
 */
final class UpgradeHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(UpgradeHandler.class);
  static final AttributeKey<UpgradeRequest> UPGRADE_REQUEST = AttributeKey.valueOf("reactive-ws.upgrade");

  private final WsEngine engine;

  UpgradeHandler(WsEngine engine) {
    this.engine = engine;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof FullHttpRequest request) || !isHandshake(request)) {
      ctx.fireChannelRead(msg);
      return;
    }
    UpgradeRequest upgrade;
    try {
      upgrade = toUpgradeRequest(ctx, request);
    } catch (URISyntaxException e) {
      request.release();
      respond(ctx, HttpResponseStatus.BAD_REQUEST, "invalid request target");
      return;
    }
    // Nothing more is read until the hook has decided.
    ctx.channel().config().setAutoRead(false);
    Thread.ofVirtual().name("reactive-ws-upgrade").start(() -> {
      Refusal refusal = decide(upgrade);
      ctx.executor().execute(() -> {
        if (refusal != null) {
          request.release();
          respond(ctx, refusal.status(), refusal.body());
          return;
        }
        ctx.channel().attr(UPGRADE_REQUEST).set(upgrade);
        // The protocol handler upgrades only the exact route; the query lives on in the UpgradeRequest.
        request.setUri(engine.config().route());
        ctx.channel().config().setAutoRead(true);
        ctx.fireChannelRead(request);
      });
    });
  }

  /** Why a handshake is answered with an HTTP error; the app's message goes in the body, never in the status line. */
  private record Refusal(HttpResponseStatus status, String body) {}

  /** Null to accept. */
  private Refusal decide(UpgradeRequest upgrade) {
    try {
      engine.upgrade(upgrade);
      return null;
    } catch (UpgradeRejectedException e) {
      LOG.info("upgrade from {} refused with {}: {}", upgrade.remoteAddress(), e.status(), e.getMessage());
      HttpResponseStatus status = HttpResponseStatus.valueOf(e.status());
      return new Refusal(status, e.getMessage() != null ? e.getMessage() : status.reasonPhrase());
    } catch (Exception | LinkageError e) {
      LOG.warn("upgrade hook failed for {}", upgrade, e);
      return new Refusal(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error");
    }
  }

  private boolean isHandshake(FullHttpRequest request) {
    return request.method().equals(HttpMethod.GET)
        && request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)
        && engine.config().route().equals(RequestPaths.pathOf(request.uri()));
  }

  private static UpgradeRequest toUpgradeRequest(ChannelHandlerContext ctx, FullHttpRequest request)
      throws URISyntaxException {
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    request.headers().forEach(h -> headers.computeIfAbsent(h.getKey(), k -> new ArrayList<>()).add(h.getValue()));
    return new UpgradeRequest(new URI(request.uri()), headers, (InetSocketAddress) ctx.channel().remoteAddress());
  }

  private static void respond(ChannelHandlerContext ctx, HttpResponseStatus status, String body) {
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
        Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
    response.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
        .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes())
        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }
}
