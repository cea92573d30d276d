package dev.reactivews.netty;

import dev.reactivews.Peer;
import dev.reactivews.WsConfig;
import dev.reactivews.WsPublisher;
import dev.reactivews.netty.internal.HttpLimits;
import dev.reactivews.netty.internal.NettyServer;
import dev.reactivews.state.StateStore;
import dev.reactivews.state.WsStates;
import dev.reactivews.storage.Storage;
import dev.reactivews.storage.StorageDriver;
import dev.reactivews.transport.ClientResources;
import dev.reactivews.transport.WsEngine;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;

/**
 * The embedded reactive-ws server: a WebSocket at the configured route, HTTP routes, static
 * files, and the browser client, on one port.
 *
 * <pre>{@code
 * ReactiveWs server = ReactiveWs.create(cfg -> cfg
 *         .ws(ws -> ws.route("/_ws").defaults("session"))
 *         .handler(handler)
 *         .staticFiles("public"))
 *     .start(3000);
 * }</pre>
 *
 * <p>It also serves the browser client at {@value #CLIENT_PATH} and the public part of the
 * config (route, default and internal topics) at {@value #CONFIG_PATH}.
 */
public final class ReactiveWs implements AutoCloseable {
  /** Where the browser client (an ES module) is served. */
  public static final String CLIENT_PATH = ClientResources.CLIENT_PATH;
  /** Where {@code {"route":..., "topics":{"defaults":[...], "internals":[...]}}} is served. */
  public static final String CONFIG_PATH = ClientResources.CONFIG_PATH;

  private final ServerConfig config;
  private final WsEngine engine;
  private final StorageDriver storage;
  private final NettyServer server;

  private ReactiveWs(ServerConfig config) {
    this.config = config;
    this.storage = config.storage != null ? config.storage : StorageDriver.memory();
    WsEngine.Builder builder = WsEngine.builder(config.ws, config.handler)
        .backplane(config.backplane)
        .presence(config.presence)
        .metrics(config.metrics);
    if (config.jsonMapper != null) {
      builder.jsonMapper(config.jsonMapper);
    }
    if (!config.ws.stateTopics().isEmpty()) {
      builder.stateStore(stateStore(storage));
    }
    this.engine = builder.build();
    this.server = new NettyServer(engine, config.routes, config.staticFiles,
        config.maxWriteDelay, config.ioThreads, new HttpLimits(config.requestHeadTimeout, config.requestTimeout,
            config.maxRequestBodyBytes, config.maxRequestBodiesInFlight, config.maxHttpConnections,
            config.maxHttpConnectionsPerAddress, config.routeTimeout),
        List.copyOf(config.closeOnStop));
  }

  /** The driver's state store, or a clear refusal from a driver that keeps no state topics. */
  private static StateStore stateStore(StorageDriver driver) {
    try {
      return driver.stateStore();
    } catch (UnsupportedOperationException e) {
      throw new IllegalStateException("the config declares state topics, and the storage driver cannot keep them: "
          + e.getMessage(), e);
    }
  }

  /**
   * A server configured by the consumer; nothing listens before {@link #start}.
   *
   * @throws IllegalStateException if the config declares state topics and the storage driver keeps none
   */
  public static ReactiveWs create(Consumer<ServerConfig> configure) {
    ServerConfig config = new ServerConfig();
    configure.accept(config);
    return new ReactiveWs(config);
  }

  /**
   * Starts listening on the port (0 for any free port, see {@link #port()}); returns this
   * server. The first server of a JVM warms up before it listens (see {@link ServerConfig#warmUp}).
   */
  public ReactiveWs start(int port) {
    server.start(config.host, port, config.warmUp);
    return this;
  }

  /** The port it listens on; the real one when started on 0. */
  public int port() {
    return server.port();
  }

  /** The WebSocket config. */
  public WsConfig config() {
    return engine.config();
  }

  /** Publishes topic states to every subscriber of every node, from any code of this server. */
  public WsPublisher publisher() {
    return engine.publisher();
  }

  /** The server's state topics, to change and read them from any code of this server. */
  public WsStates states() {
    return engine.states();
  }

  /** The storage of a namespace over the configured driver: nuxt-ws's {@code useStorage(namespace)}. */
  public Storage storage(String namespace) {
    return Storage.create(storage, namespace, engine.jsonMapper());
  }

  /** Every peer connected to this node. */
  public Collection<Peer> peers() {
    return engine.peers();
  }

  /** Peers connected to every node of the cluster; see {@link Peer#peerCount()}. */
  public int peerCount() {
    return engine.peerCount();
  }

  /**
   * Stops: no new connections, every peer closed with 1001, the hooks already accepted run to
   * the end (within the shutdown timeout), then the threads stop, the node leaves the cluster
   * (presence, then backplane) and what {@link ServerConfig#closeOnStop} lists is closed.
   * Idempotent.
   */
  public void stop() {
    server.stop();
  }

  @Override
  public void close() {
    stop();
  }
}
