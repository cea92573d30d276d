package dev.reactivews.netty.internal;

import dev.reactivews.UpgradeRequest;
import dev.reactivews.transport.UpgradeRefusal;
import dev.reactivews.transport.WsEngine;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers every request to the WebSocket route. Only an RFC 6455 handshake (GET, {@code Upgrade:
 * websocket}, {@code Connection: upgrade}, version 13, a 16-byte key) goes on, to the engine's
 * admission and the app's upgrade hook, off the I/O thread; anything else is answered here, so
 * the protocol handler behind never meets an older draft's handshake it would upgrade unchecked.
 * A refusal becomes an HTTP error and no socket opens; an acceptance passes the request on with
 * its {@link UpgradeRequest} attached to the channel.
 */
final class UpgradeHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(UpgradeHandler.class);
  static final AttributeKey<UpgradeRequest> UPGRADE_REQUEST = AttributeKey.valueOf("reactive-ws.upgrade");
  static final String VERSION_13 = "13";
  private static final int KEY_BYTES = 16;
  /** One factory for every handshake's hook thread: a builder per handshake would be garbage of each. */
  private static final ThreadFactory UPGRADE_THREADS = Thread.ofVirtual().name("reactive-ws-upgrade").factory();

  private final WsEngine engine;
  private final HttpRefusalLog refusals;
  /**
   * Set once a handshake went to the hook: a connection upgrades once, so a handshake pipelined
   * behind it (read before the hook decided) is dropped, never run through the hook.
   */
  private boolean handshakeStarted;

  UpgradeHandler(WsEngine engine, HttpRefusalLog refusals) {
    this.engine = engine;
    this.refusals = refusals;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof FullHttpRequest request) || !isForTheRoute(request)) {
      ctx.fireChannelRead(msg);
      return;
    }
    if (handshakeStarted) {
      LOG.debug("dropping a second handshake on the connection from {}", ctx.channel().remoteAddress());
      request.release();
      return;
    }
    Refusal notAHandshake = checkHandshake(request);
    if (notAHandshake != null) {
      refusals.log("handshake", "refusing a request to the WebSocket route from " + ctx.channel().remoteAddress()
          + " with " + notAHandshake.status().code() + ": " + notAHandshake.body());
      request.release();
      respond(ctx, notAHandshake);
      return;
    }
    UpgradeRequest upgrade;
    try {
      upgrade = toUpgradeRequest(ctx, request);
    } catch (URISyntaxException e) {
      request.release();
      respond(ctx, new Refusal(HttpResponseStatus.BAD_REQUEST, "invalid request target"));
      return;
    }
    handshakeStarted = true;
    admit(ctx, engine, upgrade, refusal -> {
      request.release();
      respond(ctx, refusal);
    }, () -> {
      ctx.channel().attr(UPGRADE_REQUEST).set(upgrade);
      // The protocol handler upgrades only the exact route; the query lives on in the UpgradeRequest.
      request.setUri(engine.config().route());
      ctx.fireChannelRead(request);
    });
  }

  /**
   * Puts the handshake to the engine's admission and the app's upgrade hook, on a thread of its
   * own when the hook may block, reading nothing meanwhile; then, on the channel's I/O thread,
   * either answers the refusal or goes on with reading turned back on.
   */
  static void admit(ChannelHandlerContext ctx, WsEngine engine, UpgradeRequest upgrade,
      Consumer<Refusal> refused, Runnable accepted) {
    if (!engine.admitMayBlock()) {
      decide(engine.admit(upgrade), refused, accepted);
      return;
    }
    ctx.channel().config().setAutoRead(false);
    UPGRADE_THREADS.newThread(() -> {
      UpgradeRefusal refusal = engine.admit(upgrade);
      ctx.executor().execute(() -> {
        if (refusal == null) {
          ctx.channel().config().setAutoRead(true);
        }
        decide(refusal, refused, accepted);
      });
    }).start();
  }

  private static void decide(UpgradeRefusal refusal, Consumer<Refusal> refused, Runnable accepted) {
    if (refusal != null) {
      refused.accept(new Refusal(HttpResponseStatus.valueOf(refusal.status()), refusal.body()));
    } else {
      accepted.run();
    }
  }

  /**
   * Why a handshake is answered with an HTTP error, and the headers that tell the client what
   * would have been accepted; the app's message goes in the body, never in the status line.
   */
  record Refusal(HttpResponseStatus status, String body, Map<String, String> headers) {
    Refusal(HttpResponseStatus status, String body) {
      this(status, body, Map.of());
    }
  }

  private static final Refusal NOT_AN_UPGRADE = new Refusal(HttpResponseStatus.UPGRADE_REQUIRED,
      "this route only accepts a WebSocket handshake (Upgrade: websocket, Connection: upgrade)",
      Map.of(HttpHeaderNames.UPGRADE.toString(), "websocket",
          HttpHeaderNames.SEC_WEBSOCKET_VERSION.toString(), VERSION_13));
  private static final Refusal WRONG_VERSION = new Refusal(HttpResponseStatus.UPGRADE_REQUIRED,
      "only WebSocket version 13 (RFC 6455) is accepted",
      Map.of(HttpHeaderNames.SEC_WEBSOCKET_VERSION.toString(), VERSION_13));
  private static final Refusal NOT_GET = new Refusal(HttpResponseStatus.METHOD_NOT_ALLOWED,
      "a WebSocket handshake is a GET", Map.of(HttpHeaderNames.ALLOW.toString(), "GET"));
  private static final Refusal BAD_KEY = new Refusal(HttpResponseStatus.BAD_REQUEST,
      "Sec-WebSocket-Key must be one base64 value of 16 bytes");

  /** Null for an RFC 6455 handshake, else how to answer the request. */
  private static Refusal checkHandshake(FullHttpRequest request) {
    if (!request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)
        || !request.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)) {
      return NOT_AN_UPGRADE;
    }
    if (!request.method().equals(HttpMethod.GET)) {
      return NOT_GET;
    }
    List<String> versions = request.headers().getAll(HttpHeaderNames.SEC_WEBSOCKET_VERSION);
    if (versions.size() != 1 || !versions.get(0).trim().equals(VERSION_13)) {
      return WRONG_VERSION;
    }
    List<String> keys = request.headers().getAll(HttpHeaderNames.SEC_WEBSOCKET_KEY);
    return keys.size() == 1 && isSixteenBytesOfBase64(keys.get(0).trim()) ? null : BAD_KEY;
  }

  static boolean isSixteenBytesOfBase64(String key) {
    try {
      return Base64.getDecoder().decode(key).length == KEY_BYTES;
    } catch (IllegalArgumentException notBase64) {
      return false;
    }
  }

  private boolean isForTheRoute(FullHttpRequest request) {
    return engine.config().route().equals(RequestPaths.pathOf(request.uri()));
  }

  private static UpgradeRequest toUpgradeRequest(ChannelHandlerContext ctx, FullHttpRequest request)
      throws URISyntaxException {
    return new UpgradeRequest(new URI(request.uri()), request.headers(), (InetSocketAddress) ctx.channel().remoteAddress());
  }

  static void respond(ChannelHandlerContext ctx, Refusal refusal) {
    HttpAnswers.answerAndClose(ctx, refusal.status(), refusal.body(), refusal.headers());
  }
}
