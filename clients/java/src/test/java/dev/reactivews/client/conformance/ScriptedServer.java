package dev.reactivews.client.conformance;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.node.StringNode;

/**
 * The conformance suite's server on the JVM, the counterpart of the browser client's
 * {@code clients/js/testing/server.js}: a WebSocket server on an ephemeral loopback port that
 * records what each connection sends and does what a scenario step says, nothing more. Unlike a
 * reactive-ws server it has no topics of its own, so a scenario sees every frame a client sends;
 * like one, it answers {@code ping} with {@code pong} unless {@link #silent}, and serves {@link
 * #config} at {@value #CONFIG_PATH} when it has one.
 */
final class ScriptedServer implements AutoCloseable {
  private static final String PING = "ping";
  static final String CONFIG_PATH = "/_reactive-ws/config.json";
  /** The code a connection gets when it ended without a close frame. */
  static final int NO_CLOSE_FRAME = 1006;

  /** One accepted connection, as the server saw it. */
  static final class Connection {
    private final Channel channel;
    /** The handshake's request URI: the path and the query. */
    final String requestUri;
    /** Every text frame but the heartbeats, in order: JSON as its value, other text as a string. */
    final List<JsonNode> frames = new CopyOnWriteArrayList<>();
    final AtomicInteger pings = new AtomicInteger();
    /** The client's close code, {@link #NO_CLOSE_FRAME} when it went without one; null while open. */
    volatile Integer closeCode;

    private Connection(Channel channel, String requestUri) {
      this.channel = channel;
      this.requestUri = requestUri;
    }

    /** Sends a text frame: a string as it is, anything else as JSON. */
    void send(JsonNode frame) {
      channel.writeAndFlush(new TextWebSocketFrame(frame.isString() ? frame.stringValue() : frame.toString()));
    }

    /** Sends a close frame with the code, then ends the connection. */
    void close(int code) {
      channel.writeAndFlush(new CloseWebSocketFrame(code, "")).addListener(ChannelFutureListener.CLOSE);
    }
  }

  /** Strict about what follows the value, as JSON.parse is: {@code true story} is text. */
  private final ObjectReader reader = new ObjectMapper().reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel listener;
  /** Accepted connections, oldest first. */
  final List<Connection> connections = new CopyOnWriteArrayList<>();
  /** While true, {@code ping} goes unanswered: a half-open server as the client sees it. */
  volatile boolean silent;
  /** The public config served at {@link #CONFIG_PATH}; 404 while null. */
  volatile JsonNode config;

  ScriptedServer() throws InterruptedException {
    WebSocketServerProtocolConfig config = WebSocketServerProtocolConfig.newBuilder()
        .websocketPath("/")
        .checkStartsWith(true)
        .handleCloseFrames(false)
        .build();
    listener = new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel channel) {
            channel.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 16),
                new Config(), new WebSocketServerProtocolHandler(config), new Frames());
          }
        })
        .bind("127.0.0.1", 0).sync().channel();
  }

  /** The WebSocket URL of the server. */
  String url() {
    return "ws://127.0.0.1:" + ((InetSocketAddress) listener.localAddress()).getPort() + "/_ws";
  }

  @Override
  public void close() {
    listener.close().syncUninterruptibly();
    group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).syncUninterruptibly();
  }

  private JsonNode parse(String text) {
    try {
      return reader.readTree(text);
    } catch (JacksonException notJson) {
      return StringNode.valueOf(text);
    }
  }

  /** Answers the config request; every other request goes on to the WebSocket handshake. */
  private final class Config extends SimpleChannelInboundHandler<FullHttpRequest> {
    private Config() {
      super(false);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      if (!request.uri().equals(CONFIG_PATH)) {
        ctx.fireChannelRead(request);
        return;
      }
      request.release();
      JsonNode served = config;
      FullHttpResponse response = served == null
          ? new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND)
          : new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
              Unpooled.copiedBuffer(served.toString(), StandardCharsets.UTF_8));
      response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json")
          .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
      ctx.writeAndFlush(response);
    }
  }

  /** Records the frames of one connection and answers its heartbeats and its close. */
  private final class Frames extends SimpleChannelInboundHandler<WebSocketFrame> {
    private Connection connection;

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
      if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete handshake) {
        connection = new Connection(ctx.channel(), handshake.requestUri());
        connections.add(connection);
      }
      super.userEventTriggered(ctx, event);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
      if (frame instanceof CloseWebSocketFrame close) {
        connection.closeCode = close.statusCode();
        ctx.writeAndFlush(new CloseWebSocketFrame(close.statusCode(), "")).addListener(ChannelFutureListener.CLOSE);
      } else if (frame instanceof TextWebSocketFrame text) {
        String message = text.text();
        if (PING.equals(message)) {
          connection.pings.incrementAndGet();
          if (!silent) {
            ctx.writeAndFlush(new TextWebSocketFrame("pong"));
          }
        } else {
          connection.frames.add(parse(message));
        }
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      if (connection != null && connection.closeCode == null) {
        connection.closeCode = NO_CLOSE_FRAME;
      }
      super.channelInactive(ctx);
    }
  }
}
