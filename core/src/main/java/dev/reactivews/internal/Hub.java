package dev.reactivews.internal;

import dev.reactivews.CloseEvent;
import dev.reactivews.Peer;
import dev.reactivews.SendOptions;
import dev.reactivews.UpgradeRejectedException;
import dev.reactivews.UpgradeRequest;
import dev.reactivews.WsCloseStatus;
import dev.reactivews.WsConfig;
import dev.reactivews.WsHandler;
import dev.reactivews.WsMetrics;
import dev.reactivews.WsPublisher;
import dev.reactivews.cluster.Backplane;
import dev.reactivews.cluster.BackplaneOverloadedException;
import dev.reactivews.cluster.Presence;
import dev.reactivews.state.StateStore;
import dev.reactivews.state.WsStates;
import dev.reactivews.state.StateVersion;
import dev.reactivews.transport.OutboundFrame;
import dev.reactivews.transport.WsSocket;
import dev.reactivews.transport.WsSocketListener;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.NullNode;

/**
 * The registry of a server's peers and topics, and the fan-out: publishes go to the local
 * subscribers, then through the {@link Backplane} to the other nodes; the {@link Presence} adds
 * the other nodes' peers to the count. Transports reach it through {@link
 * dev.reactivews.transport.WsEngine}. Who may connect is the {@link Admission}'s call, what a
 * peer's messages mean the {@link InboundProtocol}'s, and the {@link HookRunner} runs the app's
 * hooks; versioned states keep their order in {@link VersionedStates}, and state topics live in
 * {@link StateTopics}.
 */
public final class Hub implements WsPublisher, TopicRegistry.Interest {
  static final Logger LOG = LoggerFactory.getLogger("dev.reactivews");
  /** What a connection refused at open gets: the transport closes it, nothing of it reaches the app. */
  private static final WsSocketListener REFUSED = new WsSocketListener() {
    @Override
    public void onText(String text) {}

    @Override
    public void onBinary(byte[] bytes) {}

    @Override
    public boolean onPing() {
      return false;
    }

    @Override
    public void onClosed(int code, String reason) {}
  };

  final WsConfig config;
  final WsHandler handler;
  final Json json;
  final Frames frames;
  private final ObjectMapper payloads;
  final TopicRegistry topics = new TopicRegistry(this);
  private final Backplane backplane;
  private final Presence presence;
  final WsMetrics metrics;
  private final VersionedStates versions = new VersionedStates(topics);
  private final ConcurrentMap<String, RealPeer> peers = new ConcurrentHashMap<>();
  private final Collection<Peer> peersView = Collections.unmodifiableCollection(peers.values());
  private final Admission admission;
  final HookRunner hooks;
  /** Which hooks the app has: a peer's open and close queue nothing for hooks it has not. */
  private final AppHooks appHooks;
  final InboundProtocol inbound;
  final StateTopics states;

  /** Runs the peer-count hook, one run at a time, in order. */
  private final PeerMailbox countHook;
  /**
   * Every join and leave asks for a run of the peer-count hook, and each run typically sends the
   * count to every peer: at most one run per interval keeps a storm of N joins at N peers × 10 a
   * second instead of N × N.
   */
  static final Duration COUNT_HOOK_INTERVAL = Duration.ofMillis(100);
  private final Throttle countRuns = new Throttle(COUNT_HOOK_INTERVAL, "reactive-ws-count", this::queueCountHook);
  /** Publishes to this node's subscribers only: what the peer-count hook, run on every node, gets. */
  private final WsPublisher localPublisher = this::publishLocally;
  private final AtomicBoolean started = new AtomicBoolean();

  public Hub(WsConfig config, WsHandler handler) {
    this(config, handler, Backplane.local(), Presence.local(), WsMetrics.NONE, Json.mapperBuilder().build(), null);
  }

  /**
   * {@code payloads} writes the states and data the app sends, and types the state topics; the
   * framework's own frames are its own. {@code stateStore} keeps the state topics, and may be null
   * only when the config declares none.
   */
  public Hub(WsConfig config, WsHandler handler, Backplane backplane, Presence presence, WsMetrics metrics,
      ObjectMapper payloads, @Nullable StateStore stateStore) {
    this.config = config;
    this.handler = handler;
    this.backplane = backplane;
    this.presence = presence;
    this.metrics = metrics;
    this.json = new Json(config.maxMessageBytes(), config.maxJsonDepth());
    this.payloads = payloads;
    this.frames = new Frames(json, payloads);
    this.admission = new Admission(config, handler);
    this.hooks = new HookRunner(handler);
    this.states = new StateTopics(config, stateStore, payloads, frames, topics);
    this.appHooks = AppHooks.of(handler);
    this.inbound = new InboundProtocol(config, handler, appHooks, json, hooks, states, this::relay);
    this.countHook = hooks.mailbox(Integer.MAX_VALUE);
  }

  /** Connects the backplane, the presence and the state store; idempotent. */
  public void start() {
    if (started.compareAndSet(false, true)) {
      states.start();
      backplane.start((topic, frame, epoch, version) -> fanOut(topic, frame, null, VersionedStates.versionOf(epoch, version)));
      presence.start(peers::size, this::peerCountChanged);
    }
  }

  /** Takes this node out of the cluster: presence first, so the others stop counting its peers. */
  public void stopCluster() {
    if (started.compareAndSet(true, false)) {
      closeQuietly(presence, "presence");
      closeQuietly(backplane, "backplane");
      states.stop();
    }
  }

  private static void closeQuietly(AutoCloseable closeable, String what) {
    try {
      closeable.close();
    } catch (Exception e) {
      LOG.warn("closing the {} failed", what, e);
    }
  }

  public WsConfig config() {
    return config;
  }

  public ObjectMapper payloads() {
    return payloads;
  }

  /** The server's state topics. */
  public WsStates states() {
    return states;
  }

  /**
   * Admits a handshake or throws {@link UpgradeRejectedException} (see {@link Admission#upgrade});
   * a request it returns for is admitted: {@link #open} opens a peer for it, once, and for no
   * other request.
   */
  public void upgrade(UpgradeRequest request) throws Exception {
    admission.upgrade(request);
  }

  /** Whether {@link #upgrade} may block: only the app's upgrade hook can. */
  public boolean upgradeMayBlock() {
    return appHooks.upgrade();
  }

  /**
   * Registers the peer of a new connection and queues its open hook. A connection whose request
   * was not admitted by {@link #upgrade} is closed with 1011 and never becomes a peer; so is one
   * whose open fails midway, counted out again. If the server or the client's address filled up
   * since the handshake, the connection is closed with 1013 instead.
   */
  public WsSocketListener open(WsSocket connection, UpgradeRequest request) {
    if (!admission.open(connection, request)) {
      return REFUSED;
    }
    RealPeer peer = new RealPeer(this, connection, request);
    try {
      peers.put(peer.id(), peer);
      metrics.peerOpened();
      subscribeOpenTopics(peer);
      presence.localChanged();
      peerCountChanged();
      // Last: once the open hook is queued the app knows the peer, and nothing below can fail.
      if (appHooks.open()) {
        peer.mailbox.offerAlways(() -> {
          states.awaitFirstRead(config.defaultTopics());
          states.awaitFirstRead(config.internalTopics());
          hooks.run(peer, "open", () -> handler.open(peer));
        });
      }
    } catch (RuntimeException | LinkageError e) {
      LOG.warn("peer {}: open failed, closing its connection with 1011", peer.id(), e);
      discardFailedOpen(peer);
      connection.close(WsCloseStatus.INTERNAL_ERROR.code(), "internal error");
      return REFUSED;
    }
    LOG.debug("peer {} open from {}", peer.id(), request.remoteAddress());
    return peer;
  }

  /**
   * Subscribes the peer to the default and internal topics; a delta peer resumes those it lists
   * in {@code rws.since}. A malformed entry is answered with an error frame and its topic's whole
   * state; an entry of a topic that is no default or internal state topic changes nothing.
   */
  private void subscribeOpenTopics(RealPeer peer) {
    if (!peer.deltas) {
      config.defaultTopics().forEach(peer::subscribe);
      config.internalTopics().forEach(peer::subscribe);
      return;
    }
    Map<String, StateVersion> since = HeldVersions.ofSince(peer.request().queryMap().get(HeldVersions.SINCE_PARAMETER),
        reason -> InboundProtocol.refuse(peer, ErrorCode.BAD_REQUEST, reason));
    config.defaultTopics().forEach(topic -> peer.subscribe(topic, since.get(topic)));
    config.internalTopics().forEach(topic -> peer.subscribe(topic, since.get(topic)));
  }

  /** Undoes what an open that failed had done; the app never heard of the peer, so no close hook runs. */
  private void discardFailedOpen(RealPeer peer) {
    peer.leaveAll();
    peers.remove(peer.id());
    admission.closed(peer.request().remoteAddress());
    try {
      metrics.peerClosed(WsCloseStatus.INTERNAL_ERROR.code());
      presence.localChanged();
      peerCountChanged();
    } catch (RuntimeException e) {
      LOG.warn("peer {}: the metrics or the presence missed the end of a failed open", peer.id(), e);
    }
  }

  /** Called once a peer's connection has ended; it has already left every topic. */
  void closed(RealPeer peer, CloseEvent event) {
    peers.remove(peer.id());
    admission.closed(peer.request().remoteAddress());
    metrics.peerClosed(event.code());
    LOG.debug("peer {} closed: {} {}", peer.id(), event.code(), LogText.escape(event.reason()));
    if (appHooks.close()) {
      peer.mailbox.offerAlways(() -> hooks.run(peer, "close", () -> handler.close(peer, event)));
    }
    presence.localChanged();
    peerCountChanged();
  }

  public Collection<Peer> peers() {
    return peersView;
  }

  /** Topics with at least one subscriber on this node. */
  public int topicCount() {
    return topics.size();
  }

  /** The peers of every node: this node's and, as the presence last heard, the others'. */
  public int peerCount() {
    return peers.size() + presence.others();
  }

  /** Asks for a run of the peer-count hook: at once after a quiet interval, else at its end with the newest count. */
  private void peerCountChanged() {
    try {
      countRuns.request();
    } catch (RejectedExecutionException e) {
      LOG.debug("server stopping: peer count hook not run");
    }
  }

  private void queueCountHook() {
    try {
      countHook.offerAlways(() -> {
        countRuns.started();
        try {
          handler.peerCountChanged(peerCount(), localPublisher);
        } catch (Exception | LinkageError | AssertionError e) {
          LOG.warn("peerCountChanged hook failed", e);
        }
      });
    } catch (RejectedExecutionException e) {
      LOG.debug("server stopping: peer count hook not run");
    }
  }

  @Override
  public int publish(String topic, Object payload, SendOptions options) {
    states.refuseWholeStates(topic);
    StateVersion version = VersionedStates.versionOf(options);
    return publish(topic, frames.state(topic, payload, options.compress(), version), null, version);
  }

  /** A client's publish to a relayed topic: {@code {"topic":T,"payload":P}} to every subscriber, on every node. */
  private void relay(String topic, @Nullable JsonNode payload) {
    publish(topic, frames.state(topic, payload == null ? NullNode.getInstance() : payload, false, null), null, null);
  }

  private int publishLocally(String topic, Object payload, SendOptions options) {
    states.refuseWholeStates(topic);
    metrics.published(topic);
    StateVersion version = VersionedStates.versionOf(options);
    return fanOut(topic, frames.state(topic, payload, options.compress(), version), null, version);
  }

  /**
   * Hands the frame to the other nodes, then delivers it to this node's subscribers but {@code
   * exclude}. A backplane that refuses it as overloaded fails the whole publish, so the caller
   * knows no one got it; any other failure leaves it delivered on this node only.
   */
  int publish(String topic, OutboundFrame frame, RealPeer exclude, StateVersion version) {
    metrics.published(topic);
    try {
      if (version == null) {
        backplane.publish(topic, frame, 0, 0);
      } else {
        backplane.publish(topic, frame, version.epoch(), version.number());
      }
    } catch (BackplaneOverloadedException e) {
      throw e;
    } catch (RuntimeException e) {
      LOG.warn("backplane failed to publish to topic {}; delivered on this node only", LogText.escape(topic), e);
    }
    return fanOut(topic, frame, exclude, version);
  }

  /**
   * Writes the frame to every local subscriber of the topic except {@code exclude} (may be
   * null); a versioned state goes only where {@link VersionedStates} lets it.
   */
  private int fanOut(String topic, OutboundFrame frame, RealPeer exclude, StateVersion version) {
    if (version == null) {
      int written = 0;
      for (RealPeer peer : topics.subscribers(topic)) {
        if (peer != exclude && peer.write(frame)) {
          written++;
        }
      }
      return written;
    }
    return versions.fanOut(topic, frame, exclude, version);
  }

  /** Writes a state to one peer; a versioned one only if the peer's last state of the topic is older. */
  boolean sendState(RealPeer peer, String topic, OutboundFrame frame, StateVersion version) {
    if (version == null) {
      return peer.write(frame);
    }
    return versions.send(peer, topic, frame, version);
  }

  @Override
  public void gained(String topic) {
    states.gained(topic);
    try {
      backplane.subscribe(topic);
    } catch (RuntimeException e) {
      LOG.warn("backplane failed to subscribe to topic {}; other nodes' publishes will not arrive", topic, e);
    }
  }

  @Override
  public void lost(String topic) {
    versions.forget(topic);
    states.lost(topic);
    try {
      backplane.unsubscribe(topic);
    } catch (RuntimeException e) {
      LOG.warn("backplane failed to unsubscribe from topic {}", topic, e);
    }
  }

  /** Closes every peer with the code; hooks already queued still run. */
  public void closeAll(int code, String reason) {
    peers.values().forEach(p -> p.close(code, reason));
  }

  /** Lets queued hooks finish, up to the timeout, and accepts no new ones. */
  public boolean shutdownHooks(Duration timeout) throws InterruptedException {
    countRuns.stop();
    return hooks.shutdown(timeout);
  }
}
