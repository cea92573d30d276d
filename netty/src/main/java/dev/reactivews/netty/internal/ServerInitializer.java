package dev.reactivews.netty.internal;

import dev.reactivews.WsConfig;
import dev.reactivews.transport.TransportPolicy;
import dev.reactivews.transport.WsEngine;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionData;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionDecoder;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionEncoder;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionFilter;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionFilterProvider;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionUtil;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtension;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtensionHandler;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtensionHandshaker;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateServerExtensionHandshaker;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The protocol stack, top to bottom: idle detection, then either the WebSocket's handlers alone
 * for a connection whose first read is a plain handshake ({@link FastHandshake}) or the full
 * stack: HTTP and its time and size limits, the app's upgrade hook,
 * permessage-deflate, the WebSocket protocol (handshake, control frames, UTF-8 checks),
 * HTTP routes and files for everything that is not the WebSocket, reassembly of fragmented
 * messages, and the bridge to the engine.
 */
final class ServerInitializer extends ChannelInitializer<SocketChannel> {
  private static final int DEFLATE_LEVEL = 6;
  private static final int MAX_WINDOW_BITS = 15;
  private static final String SERVER_NO_CONTEXT_TAKEOVER = "server_no_context_takeover";
  /** The name {@link WebSocketServerProtocolHandler} gives the handshake handler it adds (its class is not public). */
  private static final String NETTY_HANDSHAKE_HANDLER =
      "io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandshakeHandler";
  /** The server deflates its frames itself ({@link WireFrames}); the extension only inflates the peer's. */
  private static final WebSocketExtensionFilterProvider INFLATE_ONLY = new WebSocketExtensionFilterProvider() {
    @Override
    public WebSocketExtensionFilter encoderFilter() {
      return WebSocketExtensionFilter.ALWAYS_SKIP;
    }

    @Override
    public WebSocketExtensionFilter decoderFilter() {
      return WebSocketExtensionFilter.NEVER_SKIP;
    }
  };

  private final WsEngine engine;
  private final HttpRouter router;
  private final ChannelGroup channels;
  private final WebSocketServerProtocolConfig protocolConfig;
  private final WebSocketServerExtensionHandshaker deflate;
  private final WriteSettings writeSettings;
  private final HttpLimits httpLimits;
  private final HttpRefusalLog refusals = new HttpRefusalLog();
  private final BodyBudget bodies;
  private final HttpConnections httpConnections;
  /** Worked out once: {@link Duration#dividedBy(long)} does its sum in BigDecimal, garbage on every connection. */
  private final long pingAfterMillis;

  ServerInitializer(WsEngine engine, HttpRouter router, ChannelGroup channels, Duration maxWriteDelay,
      HttpLimits httpLimits) {
    this.engine = engine;
    this.httpLimits = httpLimits;
    this.bodies = new BodyBudget(httpLimits.maxRequestBodiesInFlight());
    this.httpConnections = new HttpConnections(httpLimits.maxHttpConnections(), httpLimits.maxHttpConnectionsPerAddress());
    this.router = router;
    this.channels = channels;
    WsConfig config = engine.config();
    this.pingAfterMillis = TransportPolicy.pingAfter(config).toMillis();
    this.deflate = deflatingEachMessageAlone(new PerMessageDeflateServerExtensionHandshaker(
        DEFLATE_LEVEL, false, MAX_WINDOW_BITS, true, false, INFLATE_ONLY, config.maxMessageBytes()));
    this.writeSettings = new WriteSettings(config.outboundBufferBytes(), maxWriteDelay, new WireFrames(DEFLATE_LEVEL));
    this.protocolConfig = WebSocketServerProtocolConfig.newBuilder()
        .websocketPath(config.route())
        .checkStartsWith(false)
        .subprotocols(config.subprotocols().isEmpty() ? null : String.join(",", config.subprotocols()))
        .handleCloseFrames(false)
        .dropPongFrames(true)
        .handshakeTimeoutMillis(10_000)
        .decoderConfig(WebSocketDecoderConfig.newBuilder()
            .maxFramePayloadLength(config.maxMessageBytes())
            .allowExtensions(true)
            // The bridge closes with the violation's own code; Netty would answer a bad close frame with 1000.
            .closeOnProtocolViolation(false)
            .withUTF8Validator(true)
            .build())
        .build();
  }

  @Override
  protected void initChannel(SocketChannel channel) {
    InetAddress address = channel.remoteAddress().getAddress();
    HttpConnections.Ticket ticket = httpConnections.enter(address);
    if (ticket == null) {
      // Closed before anything is read: a client past the limit costs no buffer and no handler.
      refusals.log("http-connections", "closing a new connection from " + address + ": "
          + httpConnections.describeLimit(address));
      channel.close();
      return;
    }
    channel.closeFuture().addListener(closed -> ticket.leave());
    channels.add(channel);
    ChannelPipeline pipeline = channel.pipeline();
    pipeline.addLast("idle", new IdleStateHandler(pingAfterMillis, 0, 0, TimeUnit.MILLISECONDS));
    pipeline.addLast("first-read", new FastHandshake(this, engine, refusals, ticket));
  }

  HttpLimits httpLimits() {
    return httpLimits;
  }

  /** Everything a connection may meet: HTTP with its limits, routes and files, the full WebSocket handshake. */
  void addHttpStack(ChannelPipeline pipeline, HttpConnections.Ticket ticket, long openedNanos) {
    WsConfig config = engine.config();
    HttpRequestGuard guard = new HttpRequestGuard(config.route(), httpLimits, bodies, refusals, ticket, openedNanos);
    pipeline.addLast("http-bytes", guard.byteWatch());
    pipeline.addLast("http", new HttpServerCodec());
    pipeline.addLast("http-guard", guard);
    pipeline.addLast("http-aggregator", new HttpObjectAggregator(httpLimits.maxRequestBodyBytes()));
    pipeline.addLast("upgrade", new UpgradeHandler(engine, refusals));
    pipeline.addLast("deflate", new WebSocketServerExtensionHandler(deflate));
    pipeline.addLast("websocket", new WebSocketServerProtocolHandler(protocolConfig));
    pipeline.addLast("routes", router);
    pipeline.addLast("ws-aggregator", new WebSocketFrameAggregator(config.maxMessageBytes()));
    pipeline.addLast("bridge", new WebSocketBridge(engine, writeSettings));
  }

  /**
   * What the full stack leaves once Netty's handshake is done, for a handshake {@link
   * FastHandshake} answered: frame codec, the extension's, UTF-8 checks and control frames,
   * reassembly, the bridge.
   */
  void addWebSocketStack(ChannelPipeline pipeline, WebSocketServerExtension extension) {
    WsConfig config = engine.config();
    pipeline.addLast("wsencoder", new WebSocket13FrameEncoder(false));
    pipeline.addLast("wsdecoder", new WebSocket13FrameDecoder(protocolConfig.decoderConfig()));
    if (extension != null) {
      WebSocketExtensionEncoder encoder = extension.newExtensionEncoder();
      WebSocketExtensionDecoder decoder = extension.newExtensionDecoder();
      pipeline.addLast(encoder.getClass().getName(), encoder);
      pipeline.addLast(decoder.getClass().getName(), decoder);
    }
    pipeline.addLast("websocket", new WebSocketServerProtocolHandler(protocolConfig));
    // It adds its handshake handler, which would take frames for HTTP requests; the handshake is done.
    pipeline.remove(NETTY_HANDSHAKE_HANDLER);
    pipeline.addLast("ws-aggregator", new WebSocketFrameAggregator(config.maxMessageBytes()));
    pipeline.addLast("bridge", new WebSocketBridge(engine, writeSettings));
  }

  /** The permessage-deflate agreement for the client's offers, as the full stack would make it; null for none. */
  WebSocketServerExtension negotiateDeflate(String offers) {
    if (offers == null) {
      return null;
    }
    for (WebSocketExtensionData offer : WebSocketExtensionUtil.extractExtensions(offers)) {
      WebSocketServerExtension agreed = deflate.handshakeExtension(offer);
      if (agreed != null) {
        return agreed;
      }
    }
    return null;
  }

  /** The first of the client's subprotocols the server speaks, as Netty's handshaker picks it; null for none. */
  String selectSubprotocol(String requested) {
    Set<String> supported = engine.config().subprotocols();
    if (requested == null || supported.isEmpty()) {
      return null;
    }
    for (String offered : requested.split(",")) {
      String protocol = offered.strip();
      if (supported.contains(protocol) || supported.contains("*")) {
        return protocol;
      }
    }
    return null;
  }

  /** An extension as its response header names it: {@code name; key=value; key}. */
  static String headerValue(WebSocketExtensionData extension) {
    StringBuilder value = new StringBuilder(extension.name());
    extension.parameters().forEach((key, parameter) -> {
      value.append("; ").append(key);
      if (parameter != null) {
        value.append('=').append(parameter);
      }
    });
    return value.toString();
  }

  /**
   * Answers every permessage-deflate offer with {@code server_no_context_takeover}, which a
   * server may do whether the client offered it or not (RFC 7692 7.1.1.1): each message is then
   * deflated on its own, once for every peer that gets it.
   */
  private static WebSocketServerExtensionHandshaker deflatingEachMessageAlone(
      WebSocketServerExtensionHandshaker deflate) {
    return offer -> {
      Map<String, String> parameters = new HashMap<>(offer.parameters());
      parameters.put(SERVER_NO_CONTEXT_TAKEOVER, null);
      return deflate.handshakeExtension(new WebSocketExtensionData(offer.name(), parameters));
    };
  }
}
