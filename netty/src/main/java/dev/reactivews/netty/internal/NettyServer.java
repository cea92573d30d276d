package dev.reactivews.netty.internal;

import dev.reactivews.netty.HttpHandler;
import dev.reactivews.transport.StoppingTransport;
import dev.reactivews.transport.WsEngine;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Binds the pipeline to a port and tears it down in order. */
public final class NettyServer {
  private static final Logger LOG = LoggerFactory.getLogger(NettyServer.class);

  private final WsEngine engine;
  private final Map<String, Map<String, HttpHandler>> routes;
  private final @Nullable String staticFiles;
  private final Duration maxWriteDelay;
  private final int ioThreads;
  private final HttpLimits httpLimits;
  /** Closed after the server stopped, last first. */
  private final List<AutoCloseable> closeOnStop;
  /** Every open connection, HTTP or WebSocket, so that stop can close them. */
  private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

  /** The warm-up's server runs on the loops of the server it warms, and leaves them running. */
  private final @Nullable EventLoops sharedLoops;
  /** Null until started. */
  private EventLoops loops;
  private Channel serverChannel;
  /** Set by stop: the engine's hooks are shut down for good, so the server cannot start again. */
  private boolean stopped;

  public NettyServer(WsEngine engine, Map<String, Map<String, HttpHandler>> routes, @Nullable String staticFiles,
      Duration maxWriteDelay, int ioThreads, HttpLimits httpLimits, List<AutoCloseable> closeOnStop) {
    this(engine, routes, staticFiles, maxWriteDelay, ioThreads, httpLimits, closeOnStop, null);
  }

  /** The warm-up's private server, on the loops of the server it warms. */
  NettyServer(WsEngine engine, EventLoops loops, Duration maxWriteDelay, HttpLimits httpLimits) {
    this(engine, Map.of(), null, maxWriteDelay, 0, httpLimits, List.of(), loops);
  }

  private NettyServer(WsEngine engine, Map<String, Map<String, HttpHandler>> routes, @Nullable String staticFiles,
      Duration maxWriteDelay, int ioThreads, HttpLimits httpLimits, List<AutoCloseable> closeOnStop,
      @Nullable EventLoops sharedLoops) {
    this.engine = engine;
    this.routes = routes;
    this.staticFiles = staticFiles;
    this.maxWriteDelay = maxWriteDelay;
    this.ioThreads = ioThreads;
    this.httpLimits = httpLimits;
    this.closeOnStop = closeOnStop;
    this.sharedLoops = sharedLoops;
  }

  /**
   * Starts listening and says so in the log. With {@code warmUp}, the first server of the JVM
   * first runs its own path hot on its event loops, on a private loopback port (see {@link WarmUp}).
   */
  public void start(String host, int port, boolean warmUp) {
    bind(host, port, warmUp, true);
  }

  /** The warm-up's private server: no warm-up of its own, no line in the log. */
  void startQuietly(String host, int port) {
    bind(host, port, false, false);
  }

  private synchronized void bind(String host, int port, boolean warmUp, boolean announce) {
    if (serverChannel != null) {
      throw new IllegalStateException("already started on port " + port());
    }
    if (stopped) {
      throw new IllegalStateException("a stopped server cannot start again: create a new one");
    }
    loops = sharedLoops != null ? sharedLoops : EventLoops.create(ioThreads);
    if (warmUp) {
      WarmUp.once(loops, maxWriteDelay, httpLimits);
    }
    HttpRouter router = new HttpRouter(engine, routes, staticFiles, httpLimits.routeTimeout());
    engine.start();
    try {
      serverChannel = new ServerBootstrap()
          .group(loops.boss(), loops.workers())
          .channel(loops.serverChannelType())
          .option(ChannelOption.SO_BACKLOG, 1024)
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childHandler(new ServerInitializer(engine, router, channels, maxWriteDelay, httpLimits))
          .bind(host, port)
          .sync()
          .channel();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      shutdownGroups();
      engine.leaveCluster();
      throw new IllegalStateException("interrupted while binding " + host + ":" + port, e);
    } catch (RuntimeException e) {
      shutdownGroups();
      engine.leaveCluster();
      throw e;
    }
    if (!announce) {
      return;
    }
    InetSocketAddress bound = (InetSocketAddress) serverChannel.localAddress();
    boolean everyInterface = bound.getAddress().isAnyLocalAddress();
    // 0.0.0.0 binds the IPv6 wildcard where the machine has IPv6: IPv4 and IPv6 on every interface.
    String address = everyInterface && bound.getAddress() instanceof Inet6Address
        ? "::" : bound.getAddress().getHostAddress();
    LOG.info("reactive-ws listening on {} port {}{} (WebSocket at {}, {} transport)", address, bound.getPort(),
        everyInterface ? ", every interface of this machine" : "",
        engine.config().route(), loops.epoll() ? "epoll" : "nio");
  }

  public synchronized int port() {
    if (serverChannel == null) {
      throw new IllegalStateException("not started");
    }
    return ((InetSocketAddress) serverChannel.localAddress()).getPort();
  }

  /** Stops as {@link WsEngine#stop} stops every transport, then frees the event loops and what was to close. */
  public synchronized void stop() {
    if (serverChannel == null) {
      return;
    }
    try {
      engine.stop(stopping);
    } finally {
      // Idempotent: an interrupted stop may not have come this far.
      shutdownGroups();
      serverChannel = null;
      stopped = true;
      closeResources();
    }
  }

  /** The Netty side of a stop; the server's lock is held throughout. */
  private final StoppingTransport stopping = new StoppingTransport() {
    @Override
    public void stopAccepting() throws InterruptedException {
      serverChannel.close().sync();
      channels.close(channel -> !channel.hasAttr(WebSocketBridge.WEBSOCKET));
    }

    @Override
    public boolean awaitClosed(long deadlineNanos) throws InterruptedException {
      return channels.newCloseFuture().await(remainingMillis(deadlineNanos), TimeUnit.MILLISECONDS);
    }

    @Override
    public int openConnections() {
      return channels.size();
    }

    @Override
    public void closeRemaining(long deadlineNanos) throws InterruptedException {
      channels.close().await(remainingMillis(deadlineNanos), TimeUnit.MILLISECONDS);
      // A channel tells the engine it ended (which queues the close hook) in an event-loop task
      // that runs after its close future completes: let the loops run out before hooks stop.
      shutdownGroups();
    }
  };

  private void closeResources() {
    for (int i = closeOnStop.size() - 1; i >= 0; i--) {
      try {
        closeOnStop.get(i).close();
      } catch (Exception e) {
        LOG.warn("closing {} failed", closeOnStop.get(i), e);
      }
    }
  }

  private static long remainingMillis(long deadline) {
    return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
  }

  private void shutdownGroups() {
    if (sharedLoops == null) {
      loops.shutdown();
    }
  }
}
