package dev.reactivews.netty;

import dev.reactivews.WsConfig;
import dev.reactivews.WsHandler;
import dev.reactivews.WsMetrics;
import dev.reactivews.cluster.Backplane;
import dev.reactivews.cluster.Presence;
import dev.reactivews.storage.StorageDriver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.ObjectMapper;

/**
 * What {@link ReactiveWs#create} configures: the WebSocket config and handler, the storage
 * driver, the backplane and presence of a cluster, HTTP routes and static files. Each setter
 * replaces the previous value; routes and {@link #closeOnStop} add up.
 */
public final class ServerConfig {
  WsConfig ws = WsConfig.defaultSettings();
  WsHandler handler = new WsHandler() {};
  @Nullable StorageDriver storage;
  @Nullable ObjectMapper jsonMapper;
  Backplane backplane = Backplane.local();
  Presence presence = Presence.local();
  WsMetrics metrics = WsMetrics.NONE;
  final List<AutoCloseable> closeOnStop = new ArrayList<>();
  String host = "0.0.0.0";
  @Nullable String staticFiles;
  Duration maxWriteDelay = Duration.ZERO;
  int ioThreads = Runtime.getRuntime().availableProcessors();
  boolean warmUp = true;
  Duration requestHeadTimeout = Duration.ofSeconds(10);
  Duration requestTimeout = Duration.ofSeconds(30);
  int maxRequestBodyBytes = 64 * 1024;
  long maxRequestBodiesInFlight = 16L * 1024 * 1024;
  int maxHttpConnections = 10_000;
  int maxHttpConnectionsPerAddress = 256;
  Duration routeTimeout = Duration.ofSeconds(30);
  final Map<String, Map<String, HttpHandler>> routes = new LinkedHashMap<>();

  ServerConfig() {}

  /** Sets the WebSocket config (route, topics, limits). */
  public ServerConfig ws(WsConfig config) {
    this.ws = Objects.requireNonNull(config, "config == null");
    return this;
  }

  /** Adjusts the WebSocket config in place: {@code cfg.ws(ws -> ws.route("/_ws").defaults("session"))}. */
  public ServerConfig ws(Consumer<WsConfig.Builder> adjust) {
    WsConfig.Builder builder = ws.toBuilder();
    adjust.accept(builder);
    this.ws = builder.build();
    return this;
  }

  /** Sets the app's handler. */
  public ServerConfig handler(WsHandler handler) {
    this.handler = Objects.requireNonNull(handler, "handler == null");
    return this;
  }

  /**
   * Sets where {@link ReactiveWs#storage} keeps values, and the state topics theirs ({@link
   * StorageDriver#stateStore()}); in memory by default.
   */
  public ServerConfig storage(StorageDriver driver) {
    this.storage = Objects.requireNonNull(driver, "driver == null");
    return this;
  }

  /**
   * Sets how publishes reach the other server nodes of a cluster (Redis pub/sub, say); none by
   * default. The server starts it and closes it when it stops.
   */
  public ServerConfig backplane(Backplane backplane) {
    this.backplane = Objects.requireNonNull(backplane, "backplane == null");
    return this;
  }

  /**
   * Sets how peers of the other server nodes are counted in {@link dev.reactivews.Peer#peerCount()};
   * this node's peers only by default. The server starts it and closes it when it stops.
   */
  public ServerConfig presence(Presence presence) {
    this.presence = Objects.requireNonNull(presence, "presence == null");
    return this;
  }

  /** Sets what records peers, frames and publishes (a Micrometer binding, say); nothing by default. */
  public ServerConfig metrics(WsMetrics metrics) {
    this.metrics = Objects.requireNonNull(metrics, "metrics == null");
    return this;
  }

  /**
   * Sets the mapper that writes the states and data the app sends, the results of its HTTP
   * routes and what {@link ReactiveWs#storage} keeps, and reads route bodies: the app's own, with
   * its modules and settings. Jackson's defaults otherwise.
   */
  public ServerConfig jsonMapper(ObjectMapper mapper) {
    this.jsonMapper = Objects.requireNonNull(mapper, "mapper == null");
    return this;
  }

  /**
   * Closes the resource once the server has stopped (the Redis connections behind the storage,
   * backplane and presence, say); several close in the reverse order they were added.
   */
  public ServerConfig closeOnStop(AutoCloseable resource) {
    this.closeOnStop.add(Objects.requireNonNull(resource, "resource == null"));
    return this;
  }

  /**
   * Sets the address to listen on: {@code 0.0.0.0}, every interface, by default; {@code
   * 127.0.0.1} for this machine only. The start-up log line names the address and port bound.
   */
  public ServerConfig host(String host) {
    this.host = Objects.requireNonNull(host, "host == null");
    return this;
  }

  /**
   * Serves the files under this class-path folder ({@code "public"}): {@code /} is its {@code
   * index.html}.
   */
  public ServerConfig staticFiles(String classpathFolder) {
    this.staticFiles = Objects.requireNonNull(classpathFolder, "classpathFolder == null");
    return this;
  }

  /**
   * Sets how long a write to a peer may wait for more frames to join it while the server is
   * busy; {@link Duration#ZERO}, the default, never waits. The frames waiting for a peer always
   * go out in one system call per turn of its event loop, which under a fan-out to many peers
   * already carries tens of frames a write. A delay adds to that under load only: while an event
   * loop writes more than one frame every 20 µs, a peer whose last write was small (under 4 KiB)
   * and less than the delay ago gets its next frames once the delay has passed, so that more of
   * them share one write; under light traffic every frame goes out at once. It saves CPU on fast
   * streams to a few peers (1 to 2 ms is plenty), at up to the delay in latency; a client that
   * waits for a message before the next one is sent can pay it at every message.
   */
  public ServerConfig maxWriteDelay(Duration delay) {
    Objects.requireNonNull(delay, "delay == null");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay < 0: " + delay);
    }
    this.maxWriteDelay = delay;
    return this;
  }

  /**
   * Whether {@link ReactiveWs#start} first runs the server's own path hot, once per JVM: a private
   * server on a loopback port and on the server's event loops, with its own engine and no app
   * hooks, takes 150 handshakes, then relayed messages, pings and pongs from plain socket clients:
   * at least 7,000, and on until HotSpot's optimising compiler has nothing running or queued, at
   * most 10 s (5.9 to 9.2 s in all on one core, 3.7 to 4.0 s on two). Without it a fresh JVM
   * interprets the per-message code for most of its first minute, where the first clients feel it.
   * Default on; off for a start that must be quick and may be slow at first.
   */
  public ServerConfig warmUp(boolean warmUp) {
    this.warmUp = warmUp;
    return this;
  }

  /**
   * Sets how many event loops do the server's network I/O (HTTP, WebSocket frames, the
   * framework's own protocol work). Default one per available processor: hooks run on virtual
   * threads, so a loop never waits for app code, and more loops than cores would only take turns
   * on them, each turn a context switch in the way of a frame.
   */
  public ServerConfig ioThreads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads < 1: " + threads);
    }
    this.ioThreads = threads;
    return this;
  }

  /**
   * Sets how long a client has to send a request head (request line and headers) once its
   * connection opened, or once the first byte of its next request arrived: past it the answer
   * is 408 and the connection closes, however slowly the bytes kept coming. Default 10 s.
   */
  public ServerConfig requestHeadTimeout(Duration timeout) {
    this.requestHeadTimeout = positive(timeout, "timeout");
    return this;
  }

  /**
   * Sets how long a client has to send a whole request, head and body, counted as for {@link
   * #requestHeadTimeout}: past it the answer is 408 and the connection closes. Default 30 s.
   */
  public ServerConfig requestTimeout(Duration timeout) {
    this.requestTimeout = positive(timeout, "timeout");
    return this;
  }

  /** Sets the largest request body a route may get; a larger one, declared or sent, gets 413. Default 64 KiB. */
  public ServerConfig maxRequestBodyBytes(int bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes < 0: " + bytes);
    }
    this.maxRequestBodyBytes = bytes;
    return this;
  }

  /**
   * Sets how many bytes of request bodies the server holds at once, over every connection, while
   * they arrive: a body that would pass it gets 503 with {@code Retry-After}. Default 16 MiB.
   */
  public ServerConfig maxRequestBodiesInFlight(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes < 0: " + bytes);
    }
    this.maxRequestBodiesInFlight = bytes;
    return this;
  }

  /**
   * Sets how many HTTP connections (not yet upgraded to a WebSocket) may be open at once; past it
   * a new connection is closed at once. Upgraded connections count against {@link
   * WsConfig#maxConnections()} instead. Default 10,000; 0 = no limit.
   */
  public ServerConfig maxHttpConnections(int connections) {
    this.maxHttpConnections = notNegative(connections, "connections");
    return this;
  }

  /**
   * As {@link #maxHttpConnections}, for the connections of one client address. Default 256;
   * 0 = no limit (behind a proxy every client has the proxy's address).
   */
  public ServerConfig maxHttpConnectionsPerAddress(int connections) {
    this.maxHttpConnectionsPerAddress = notNegative(connections, "connections");
    return this;
  }

  /**
   * Sets how long a route's handler may take to answer: past it the client gets 503, the
   * connection closes and the handler's thread is interrupted. Default 30 s.
   */
  public ServerConfig routeTimeout(Duration timeout) {
    this.routeTimeout = positive(timeout, "timeout");
    return this;
  }

  private static Duration positive(Duration value, String name) {
    Objects.requireNonNull(value, name + " == null");
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
    return value;
  }

  private static int notNegative(int value, String name) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " < 0: " + value);
    }
    return value;
  }

  /** Adds a GET route. */
  public ServerConfig get(String path, HttpHandler handler) {
    return route("GET", path, handler);
  }

  /** Adds a POST route. */
  public ServerConfig post(String path, HttpHandler handler) {
    return route("POST", path, handler);
  }

  private ServerConfig route(String method, String path, HttpHandler handler) {
    Objects.requireNonNull(handler, "handler == null");
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("path must start with '/': " + path);
    }
    routes.computeIfAbsent(path, p -> new LinkedHashMap<>()).put(method, handler);
    return this;
  }
}
