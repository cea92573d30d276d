package dev.reactivews.transport;

import dev.reactivews.Peer;
import dev.reactivews.UpgradeRejectedException;
import dev.reactivews.UpgradeRequest;
import dev.reactivews.WsCloseStatus;
import dev.reactivews.WsConfig;
import dev.reactivews.WsHandler;
import dev.reactivews.WsMetrics;
import dev.reactivews.WsPublisher;
import dev.reactivews.cluster.Backplane;
import dev.reactivews.cluster.Presence;
import dev.reactivews.internal.Hub;
import dev.reactivews.internal.Json;
import dev.reactivews.internal.LogText;
import dev.reactivews.state.StateStore;
import dev.reactivews.state.WsStates;
import java.time.Duration;
import java.util.Collection;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.ObjectMapper;

/**
 * A handler wrapped in the reactive-ws protocol, ready for a transport: one per server. It
 * owns the peers and topics; the transport owns the sockets.
 */
public final class WsEngine {
  private static final Logger LOG = LoggerFactory.getLogger("dev.reactivews");

  private final Hub hub;

  private WsEngine(Hub hub) {
    this.hub = hub;
  }

  /** An engine for one node on its own, counting nothing. */
  public static WsEngine create(WsConfig config, WsHandler handler) {
    return builder(config, handler).build();
  }

  /** An engine to be given a backplane, a presence, metrics or a JSON mapper before it is built. */
  public static Builder builder(WsConfig config, WsHandler handler) {
    return new Builder(config, handler);
  }

  /** Builds a {@link WsEngine}; by default one node on its own that counts nothing. */
  public static final class Builder {
    private final WsConfig config;
    private final WsHandler handler;
    private Backplane backplane = Backplane.local();
    private Presence presence = Presence.local();
    private WsMetrics metrics = WsMetrics.NONE;
    private @Nullable ObjectMapper jsonMapper;
    private @Nullable StateStore stateStore;

    private Builder(WsConfig config, WsHandler handler) {
      this.config = Objects.requireNonNull(config, "config == null");
      this.handler = Objects.requireNonNull(handler, "handler == null");
    }

    /** Where publishes travel between the nodes of a cluster. */
    public Builder backplane(Backplane backplane) {
      this.backplane = Objects.requireNonNull(backplane, "backplane == null");
      return this;
    }

    /** What counts the peers of every node of a cluster. */
    public Builder presence(Presence presence) {
      this.presence = Objects.requireNonNull(presence, "presence == null");
      return this;
    }

    /** What records peers, frames and publishes. */
    public Builder metrics(WsMetrics metrics) {
      this.metrics = Objects.requireNonNull(metrics, "metrics == null");
      return this;
    }

    /**
     * The mapper that writes the states and data the app sends, so that its modules and settings
     * (dates, property order, naming) shape them; by default Jackson's own defaults. The
     * framework's parse of what peers send keeps its own bounds whatever this mapper allows.
     */
    public Builder jsonMapper(ObjectMapper mapper) {
      this.jsonMapper = Objects.requireNonNull(mapper, "mapper == null");
      return this;
    }

    /**
     * Where the config's state topics live ({@link WsConfig#stateTopics()}): a storage driver's
     * {@link dev.reactivews.storage.StorageDriver#stateStore()}. The engine starts it; its driver
     * closes it. Needed when the config declares state topics.
     */
    public Builder stateStore(StateStore store) {
      this.stateStore = Objects.requireNonNull(store, "store == null");
      return this;
    }

    /**
     * Builds the engine.
     *
     * @throws IllegalStateException if the config declares state topics and no {@link #stateStore} was given
     */
    public WsEngine build() {
      ObjectMapper payloads = jsonMapper != null ? jsonMapper : Json.mapperBuilder().build();
      return new WsEngine(new Hub(config, handler, backplane, presence, metrics, payloads, stateStore));
    }
  }

  /**
   * The mapper that writes the app's states and data ({@link Builder#jsonMapper}): a transport's
   * HTTP routes read and write the app's JSON with it too.
   */
  public ObjectMapper jsonMapper() {
    return hub.payloads();
  }

  /** The server's state topics, to change and read them from any code of the server. */
  public WsStates states() {
    return hub.states();
  }

  /** Starts the backplane, the presence and the state store; call it before the transport accepts connections. */
  public void start() {
    hub.start();
  }

  public WsConfig config() {
    return hub.config();
  }

  /**
   * Admits a handshake: refuses a browser page whose {@code Origin} is neither the server's own
   * nor in {@link WsConfig#allowedOrigins()} (403), a handshake past {@link
   * WsConfig#maxConnections()} (503) or {@link WsConfig#maxConnectionsPerAddress()} (429), all
   * before the hook; then runs the app's upgrade hook. Blocking: call it off the I/O thread.
   * Throws {@link UpgradeRejectedException} to refuse with its status; any other exception means
   * 500. Once it returns, the request keeps only the {@link WsConfig#keptHeaders()}.
   */
  public void upgrade(UpgradeRequest request) throws Exception {
    hub.upgrade(request);
  }

  /**
   * Whether {@link #upgrade} and {@link #admit} may block, which only the app's upgrade hook can:
   * without one they check the origin and the limits in memory, and a transport may call them
   * on its I/O thread rather than hand the handshake to another.
   */
  public boolean admitMayBlock() {
    return hub.upgradeMayBlock();
  }

  /**
   * {@link #upgrade}, with the answer every transport gives: null if admitted, else the HTTP
   * refusal to send. An {@link UpgradeRejectedException} keeps its status and message; any other
   * failure of the hook is a 500 with a generic body. Every refusal is logged, client text escaped.
   */
  public @Nullable UpgradeRefusal admit(UpgradeRequest request) {
    try {
      hub.upgrade(request);
      return null;
    } catch (UpgradeRejectedException e) {
      LOG.info("upgrade from {} refused with {}: {}", request.remoteAddress(), e.status(), LogText.escape(e.getMessage()));
      return new UpgradeRefusal(e.status(), e.getMessage() != null ? e.getMessage() : "refused");
    } catch (Exception | LinkageError e) {
      LOG.warn("upgrade hook failed for {} {}", request.remoteAddress(), LogText.escape(request.uri().toString()), e);
      return new UpgradeRefusal(500, "internal error");
    }
  }

  /**
   * Registers a new connection as a peer; feed its frames to the returned listener. The request
   * must be one {@link #upgrade} admitted, once: for any other (or null) the connection is closed
   * with {@link WsCloseStatus#INTERNAL_ERROR} and never becomes a peer, as when its open fails.
   * Should the server or the client's address have filled up since the handshake, the
   * connection is closed with {@link WsCloseStatus#TRY_AGAIN_LATER} instead. In every such case
   * the listener ignores what it is fed.
   */
  public WsSocketListener open(WsSocket connection, @Nullable UpgradeRequest request) {
    return hub.open(connection, request);
  }

  /** Publishes topic states to every subscriber, from anywhere. */
  public WsPublisher publisher() {
    return hub;
  }

  /** Every peer connected to this node. */
  public Collection<Peer> peers() {
    return hub.peers();
  }

  /**
   * Topics that have at least one subscriber on this node, for monitoring: a topic takes memory
   * only while subscribed, so this stays within what the peers subscribed to.
   */
  public int topicCount() {
    return hub.topicCount();
  }

  /** Peers connected to every node of the cluster; see {@link Peer#peerCount()}. */
  public int peerCount() {
    return hub.peerCount();
  }

  /** Closes every peer with 1001; their close hooks are queued as usual. */
  public void closeAll() {
    hub.closeAll(WsCloseStatus.GOING_AWAY.code(), "server shutting down");
  }

  /**
   * Stops the server, every transport the same way, within {@link WsConfig#shutdownTimeout()}
   * in all: the transport stops accepting; every peer is closed with 1001 (each gets what was
   * accepted for it first); once their connections are gone (those left at the deadline are
   * cut), the hooks already queued, close hooks included, may finish until the same deadline;
   * then the node leaves the cluster. Runs no new hooks afterwards: an engine stops once.
   */
  public void stop(StoppingTransport transport) {
    Duration timeout = hub.config().shutdownTimeout();
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      transport.stopAccepting();
      closeAll();
      if (!transport.awaitClosed(deadline)) {
        LOG.warn("{} connections still open after {}, closing them", transport.openConnections(), timeout);
      }
      transport.closeRemaining(deadline);
      if (!awaitHooks(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
        LOG.warn("hooks still running after {}; stopping anyway", timeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      hub.stopCluster();
    }
  }

  /**
   * Lets the hooks already queued (close hooks included) finish, up to the timeout, and runs no
   * new ones: the last step of {@link #stop}, for a test or a benchmark that drives the engine
   * without a transport. True if all finished.
   */
  public boolean awaitHooks(Duration timeout) throws InterruptedException {
    return hub.shutdownHooks(timeout);
  }

  /**
   * Takes this node out of the cluster without stopping it: for a transport that failed to
   * start. Closes the presence, then the backplane.
   */
  public void leaveCluster() {
    hub.stopCluster();
  }
}
