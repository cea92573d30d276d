package dev.reactivews.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Many WebSocket clients on ONE event loop thread (the load generator is pinned to one core):
 * Netty's {@code WebSocketClientProtocolHandler} (a {@code WebSocketClientHandshaker} driven for
 * us) on epoll when available, else NIO. Every callback runs on that thread; code on other
 * threads reaches the state it touches through {@link #onLoop}.
 */
final class WsClients implements AutoCloseable {
  /** Local addresses connections are spread over when the server is on loopback: more source ports. */
  private static final int LOOPBACK_SOURCES = 8;
  private static final int MAX_FRAME = 64 << 20;

  /** What one connection hears, on the event loop. */
  interface Listener {
    default void onOpen(Conn conn) {}

    /** A whole text message; the buffer is released after the call. */
    void onText(Conn conn, ByteBuf text);

    /** The connection ended; {@code code} is the close frame's code, -1 without one. */
    default void onClose(Conn conn, int code) {}
  }

  /** One client connection. */
  static final class Conn {
    final int index;
    final Listener listener;
    Channel channel;
    /** Close code received, or -1; set before {@link Listener#onClose}. */
    int closeCode = -1;
    boolean closed;
    /** Scenario-specific per-connection state. */
    long received;
    long lastValue = -1;
    boolean flag;

    Conn(int index, Listener listener) {
      this.index = index;
      this.listener = listener;
    }

    /** Writes a text frame without flushing; call {@link #flush} after a batch. */
    void write(String text) {
      channel.write(new TextWebSocketFrame(ByteBufUtil.writeUtf8(channel.alloc(), text)), channel.voidPromise());
    }

    void flush() {
      channel.flush();
    }

    void send(String text) {
      write(text);
      flush();
    }

    boolean isOpen() {
      return !closed && channel.isActive();
    }
  }

  private final EventLoopGroup group;
  private final EventLoop loop;
  private final Bootstrap bootstrap;
  private final URI uri;
  private final InetSocketAddress remote;
  private final boolean loopback;
  final boolean epoll;

  WsClients(URI uri) throws Exception {
    this.uri = uri;
    this.epoll = Epoll.isAvailable() && !Boolean.getBoolean("bench.nio");
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    this.group = new MultiThreadIoEventLoopGroup(1, io);
    this.loop = group.next();
    InetAddress address = InetAddress.getByName(uri.getHost());
    this.remote = new InetSocketAddress(address, uri.getPort());
    this.loopback = address.isLoopbackAddress() && address.getAddress().length == 4;
    this.bootstrap = new Bootstrap()
        .group(loop)
        .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000);
  }

  /** Runs the task on the event loop and waits for its result. */
  <T> T onLoop(Callable<T> task) {
    try {
      return loop.submit(task).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  void onLoop(Runnable task) {
    onLoop(() -> {
      task.run();
      return null;
    });
  }

  EventLoop loop() {
    return loop;
  }

  /** Opens one connection; completes when its handshake is done, fails when it cannot be. */
  CompletableFuture<Conn> connect(int index, Listener listener) {
    Conn conn = new Conn(index, listener);
    CompletableFuture<Conn> opened = new CompletableFuture<>();
    WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
        .webSocketUri(uri)
        .version(WebSocketVersion.V13)
        .allowExtensions(false)
        .maxFramePayloadLength(MAX_FRAME)
        .handleCloseFrames(false)
        .dropPongFrames(true)
        .handshakeTimeoutMillis(60_000)
        .absoluteUpgradeUrl(false)
        .generateOriginHeader(false)
        .withUTF8Validator(false)
        .build();
    Bootstrap b = bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
      @Override
      protected void initChannel(SocketChannel ch) {
        conn.channel = ch; // on the event loop, before any event of the connection
        ch.pipeline().addLast(
            new HttpClientCodec(),
            new HttpObjectAggregator(64 << 10),
            new WebSocketClientProtocolHandler(config),
            new WebSocketFrameAggregator(MAX_FRAME),
            new Handler(conn, opened));
      }
    });
    var future = loopback
        ? b.connect(remote, new InetSocketAddress(sourceAddress(index), 0))
        : b.connect(remote);
    future.addListener((ChannelFutureListener) f -> {
      if (!f.isSuccess()) {
        opened.completeExceptionally(f.cause());
      }
    });
    return opened;
  }

  private static InetAddress sourceAddress(int index) {
    try {
      return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) (1 + index % LOOPBACK_SOURCES)});
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The outcome of {@link #connectAll}: the open connections and how many failed. */
  record Opened(List<Conn> conns, int failed, String firstError) {}

  /**
   * Opens n connections, at most {@code inFlight} handshakes at a time, and waits for all.
   * Listeners come from the factory, by index.
   */
  Opened connectAll(int n, int inFlight, IntFunction<Listener> listeners, String what) throws InterruptedException {
    return connectAll(n, inFlight, listeners, what, Long.MAX_VALUE);
  }

  /**
   * {@link #connectAll(int, int, IntFunction, String)}, but no new connection is started after
   * {@code deadlineNanos} ({@link System#nanoTime()}): a server that takes too long to admit
   * them ends up with fewer, which the result shows.
   */
  Opened connectAll(int n, int inFlight, IntFunction<Listener> listeners, String what, long deadlineNanos)
      throws InterruptedException {
    Semaphore permits = new Semaphore(inFlight);
    List<CompletableFuture<Conn>> futures = new ArrayList<>(n);
    long started = System.nanoTime();
    long lastReport = started;
    for (int i = 0; i < n; i++) {
      while (!permits.tryAcquire(100, TimeUnit.MILLISECONDS)) {
        if (passed(deadlineNanos)) {
          break;
        }
      }
      if (passed(deadlineNanos)) {
        Log.progress("%s: out of time after starting %d of %d connections", what, i, n);
        break;
      }
      CompletableFuture<Conn> f = connect(i, listeners.apply(i));
      f.whenComplete((c, e) -> permits.release());
      futures.add(f);
      long now = System.nanoTime();
      if (now - lastReport > TimeUnit.SECONDS.toNanos(2)) {
        lastReport = now;
        Log.progress("%s: %d/%d connecting", what, i + 1, n);
      }
    }
    List<Conn> conns = new ArrayList<>(n);
    int failed = 0;
    String firstError = null;
    for (CompletableFuture<Conn> f : futures) {
      try {
        conns.add(f.get());
      } catch (ExecutionException e) {
        failed++;
        if (firstError == null) {
          firstError = String.valueOf(e.getCause());
        }
      }
    }
    Log.progress("%s: %d open, %d failed in %.1f s", what, conns.size(), failed,
        (System.nanoTime() - started) / 1e9);
    if (firstError != null) {
      Log.progress("%s: first failure: %s", what, firstError);
    }
    return new Opened(conns, failed, firstError);
  }

  private static boolean passed(long deadlineNanos) {
    return deadlineNanos != Long.MAX_VALUE && System.nanoTime() - deadlineNanos > 0;
  }

  /** Closes the connections (TCP close, no close frame: they just go) and waits until each has. */
  void closeAll(List<Conn> conns) throws InterruptedException {
    List<CompletableFuture<Void>> closed = onLoop(() -> conns.stream().map(c -> {
      CompletableFuture<Void> done = new CompletableFuture<>();
      c.channel.close().addListener(f -> done.complete(null));
      return done;
    }).toList());
    try {
      CompletableFuture.allOf(closed.toArray(CompletableFuture[]::new)).get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("closing connections failed", e.getCause());
    }
  }

  /** Closes every connection the loop still has, then stops the loop. */
  @Override
  public void close() {
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** The last handler: handshake events, text frames, close frames. */
  private static final class Handler extends ChannelInboundHandlerAdapter {
    private final Conn conn;
    private final CompletableFuture<Conn> opened;

    Handler(Conn conn, CompletableFuture<Conn> opened) {
      this.conn = conn;
      this.opened = opened;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
      if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
        conn.listener.onOpen(conn);
        opened.complete(conn);
      } else if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
        opened.completeExceptionally(new IllegalStateException("handshake timed out"));
      }
      super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      try {
        if (msg instanceof TextWebSocketFrame text) {
          conn.listener.onText(conn, text.content());
        } else if (msg instanceof CloseWebSocketFrame close) {
          conn.closeCode = close.statusCode();
          ctx.writeAndFlush(new CloseWebSocketFrame(close.statusCode() < 0 ? 1000 : close.statusCode(), ""))
              .addListener(ChannelFutureListener.CLOSE);
        }
      } finally {
        io.netty.util.ReferenceCountUtil.release(msg);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      opened.completeExceptionally(new IllegalStateException("closed before the handshake finished"));
      if (!conn.closed) {
        conn.closed = true;
        conn.listener.onClose(conn, conn.closeCode);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      opened.completeExceptionally(cause);
      ctx.close();
    }
  }
}
