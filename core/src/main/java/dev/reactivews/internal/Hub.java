package dev.reactivews.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reactivews.CloseEvent;
import dev.reactivews.Message;
import dev.reactivews.Peer;
import dev.reactivews.SendOptions;
import dev.reactivews.UpgradeRequest;
import dev.reactivews.TopicAction;
import dev.reactivews.UpgradeRejectedException;
import dev.reactivews.WsCloseStatus;
import dev.reactivews.WsConfig;
import dev.reactivews.WsHandler;
import dev.reactivews.WsMetrics;
import dev.reactivews.WsPublisher;
import dev.reactivews.cluster.Backplane;
import dev.reactivews.cluster.BackplaneOverloadedException;
import dev.reactivews.cluster.Presence;
import dev.reactivews.transport.Connection;
import dev.reactivews.transport.ConnectionListener;
import dev.reactivews.transport.OutboundFrame;
import dev.reactivews.validation.ValidationException;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The heart of a server: its peers, its topics, and the protocol every handler is wrapped in.
 * Transports reach it through {@link dev.reactivews.transport.WsEngine}. Publishes go to the
 * local subscribers, then through the {@link Backplane} to the other nodes; the {@link
 * Presence} adds the other nodes' peers to the count.
 */
public final class Hub implements WsPublisher, TopicRegistry.Interest {
  static final Logger LOG = LoggerFactory.getLogger("dev.reactivews");
  /** What a connection refused at open gets: the transport closes it, nothing of it reaches the app. */
  private static final ConnectionListener REFUSED = new ConnectionListener() {
    @Override
    public void onText(String text) {}

    @Override
    public void onBinary(byte[] bytes) {}

    @Override
    public void onClosed(int code, String reason) {}
  };

  final WsConfig config;
  final WsHandler handler;
  final Json json;
  final Frames frames;
  final TopicRegistry topics = new TopicRegistry(this);
  private final Backplane backplane;
  private final Presence presence;
  final WsMetrics metrics;
  /**
   * Per topic with subscribers, the highest version delivered to them (see {@link
   * SendOptions#version()}); its entry is the lock that orders versioned deliveries.
   */
  private final ConcurrentMap<String, StateVersion> versions = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, RealPeer> peers = new ConcurrentHashMap<>();
  private final Collection<Peer> peersView = Collections.unmodifiableCollection(peers.values());
  private final ConnectionLimit connectionLimit;
  private final OriginPolicy originPolicy;
  /**
   * Requests {@link #upgrade} admitted whose peer has not opened yet. Weak: a handshake that
   * fails after its hook (its client left, say) never opens, and its entry goes with the request.
   */
  private final Map<UpgradeRequest, Boolean> admitted = Collections.synchronizedMap(new WeakHashMap<>());
  /** Runs the hooks: one virtual thread per busy peer. */
  final ExecutorService hookExecutor =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("reactive-ws-hook-", 0).factory());

  /** Runs the peer-count hook, one run at a time, in order. */
  private final PeerMailbox countHook = new PeerMailbox(hookExecutor, Integer.MAX_VALUE);
  /** True while a run of the peer-count hook is queued and has not read the count yet. */
  private final AtomicBoolean countPending = new AtomicBoolean();
  /** Publishes to this node's subscribers only: what the peer-count hook, run on every node, gets. */
  private final WsPublisher localPublisher = this::publishLocally;
  private final AtomicBoolean started = new AtomicBoolean();

  public Hub(WsConfig config, WsHandler handler) {
    this(config, handler, Backplane.local(), Presence.local(), WsMetrics.NONE);
  }

  public Hub(WsConfig config, WsHandler handler, Backplane backplane, Presence presence, WsMetrics metrics) {
    this.config = config;
    this.handler = handler;
    this.backplane = backplane;
    this.presence = presence;
    this.metrics = metrics;
    this.json = new Json(config.maxMessageBytes(), config.maxJsonDepth());
    this.frames = new Frames(json);
    this.connectionLimit = new ConnectionLimit(config.maxConnections(), config.maxConnectionsPerAddress());
    this.originPolicy = new OriginPolicy(config.allowedOrigins());
  }

  /** Connects the backplane and the presence; idempotent. */
  public void start() {
    if (started.compareAndSet(false, true)) {
      backplane.start((topic, frame, epoch, version) -> fanOut(topic, frame, null, StateVersion.of(epoch, version)));
      presence.start(peers::size, this::peerCountChanged);
    }
  }

  /** Takes this node out of the cluster: presence first, so the others stop counting its peers. */
  public void stopCluster() {
    if (started.compareAndSet(true, false)) {
      closeQuietly(presence, "presence");
      closeQuietly(backplane, "backplane");
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

  /**
   * Admits a handshake or throws {@link UpgradeRejectedException}: 403 for a browser page of an
   * origin not allowed, 503 when the server is full, 429 when the client's address is; then runs
   * the upgrade hook on the calling thread (its exceptions are the caller's to map). A request it
   * returns for is admitted: {@link #open} opens a peer for it, once, and for no other request.
   */
  public void upgrade(UpgradeRequest request) throws Exception {
    String origin = request.header("Origin");
    if (!originPolicy.allows(origin, request.header("Host"))) {
      LOG.info("refused a handshake from {}: Origin {} is neither the server's own (Host {}) nor in ws.allowed-origins",
          request.remoteAddress(), LogText.escape(origin), LogText.escape(request.header("Host")));
      throw UpgradeRejectedException.forbidden();
    }
    switch (connectionLimit.startUpgrade(request.remoteAddress())) {
      case SERVER_FULL -> {
        LOG.info("refused a handshake from {}: {} connections open, the most ws.limits.max-connections allows",
            request.remoteAddress(), config.maxConnections());
        throw new UpgradeRejectedException(503, "server full, try again later");
      }
      case ADDRESS_FULL -> {
        LOG.info("refused a handshake from {}: {} connections open from that address, the most "
            + "ws.limits.max-connections-per-address allows", request.remoteAddress(), config.maxConnectionsPerAddress());
        throw new UpgradeRejectedException(429, "too many connections from your address");
      }
      case ACCEPTED -> {}
    }
    try {
      handler.upgrade(request);
    } finally {
      connectionLimit.endUpgrade(request.remoteAddress());
    }
    request.keepOnlyHeaders(config.keptHeaders());
    admitted.put(request, Boolean.TRUE);
  }

  /**
   * Registers the peer of a new connection and queues its open hook. A connection whose request
   * was not admitted by {@link #upgrade} is closed with 1011 and never becomes a peer; so is one
   * whose open fails midway, counted out again. If the server or the client's address filled up
   * since the handshake, the connection is closed with 1013 instead.
   */
  public ConnectionListener open(Connection connection, UpgradeRequest request) {
    if (request == null || admitted.remove(request) == null) {
      LOG.info("closed a connection from {} at once: its handshake did not pass the upgrade checks",
          request == null ? "an unknown address" : request.remoteAddress());
      connection.close(WsCloseStatus.INTERNAL_ERROR.code(), "internal error");
      return REFUSED;
    }
    switch (connectionLimit.open(request.remoteAddress())) {
      case SERVER_FULL -> {
        LOG.info("closed a connection from {} at once: {} peers open, the most ws.limits.max-connections allows",
            request.remoteAddress(), config.maxConnections());
        connection.close(WsCloseStatus.TRY_AGAIN_LATER.code(), "server full");
        return REFUSED;
      }
      case ADDRESS_FULL -> {
        LOG.info("closed a connection from {} at once: {} peers open from that address, the most "
            + "ws.limits.max-connections-per-address allows", request.remoteAddress(), config.maxConnectionsPerAddress());
        connection.close(WsCloseStatus.TRY_AGAIN_LATER.code(), "too many connections from your address");
        return REFUSED;
      }
      case ACCEPTED -> {}
    }
    RealPeer peer = new RealPeer(this, connection, request);
    try {
      peers.put(peer.id(), peer);
      metrics.peerOpened();
      config.defaultTopics().forEach(peer::subscribe);
      config.internalTopics().forEach(peer::subscribe);
      presence.localChanged();
      peerCountChanged();
      // Last: once the open hook is queued the app knows the peer, and nothing below can fail.
      peer.mailbox.offerAlways(() -> runHook(peer, "open", () -> handler.open(peer)));
    } catch (RuntimeException | LinkageError e) {
      LOG.warn("peer {}: open failed, closing its connection with 1011", peer.id(), e);
      discardFailedOpen(peer);
      connection.close(WsCloseStatus.INTERNAL_ERROR.code(), "internal error");
      return REFUSED;
    }
    LOG.debug("peer {} open from {}", peer.id(), request.remoteAddress());
    return peer;
  }

  /** Undoes what an open that failed had done; the app never heard of the peer, so no close hook runs. */
  private void discardFailedOpen(RealPeer peer) {
    peer.leaveAll();
    peers.remove(peer.id());
    connectionLimit.closed(peer.request().remoteAddress());
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
    connectionLimit.closed(peer.request().remoteAddress());
    metrics.peerClosed(event.code());
    LOG.debug("peer {} closed: {} {}", peer.id(), event.code(), LogText.escape(event.reason()));
    peer.mailbox.offerAlways(() -> runHook(peer, "close", () -> handler.close(peer, event)));
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

  /**
   * Queues a run of the peer-count hook unless one is queued that has not read the count yet:
   * that one will read the newest count, so a burst of joins costs one run, not one per join.
   */
  private void peerCountChanged() {
    if (!countPending.compareAndSet(false, true)) {
      return;
    }
    try {
      countHook.offerAlways(() -> {
        countPending.set(false);
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
    return publish(topic, frames.state(topic, payload, options.compress()), null, StateVersion.of(options));
  }

  private int publishLocally(String topic, Object payload, SendOptions options) {
    metrics.published(topic);
    return fanOut(topic, frames.state(topic, payload, options.compress()), null, StateVersion.of(options));
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
   * null). A versioned state goes only to the peers whose last state of the topic is older, and
   * not at all if this node already delivered a newer one to the topic; one of another epoch is
   * the newest whatever its number, and the reset is logged.
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
    if (topics.subscribers(topic).isEmpty()) {
      return 0;
    }
    int[] written = {0};
    versions.compute(topic, (t, last) -> {
      if (!version.follows(last)) {
        return last;
      }
      if (version.resets(last)) {
        LOG.warn("topic {}: a state of a new data set (epoch {}, version {}) replaces epoch {} at version {}; "
            + "its versions start again, so its data was lost or made anew", LogText.escape(topic),
            version.epoch(), version.number(), last.epoch(), last.number());
      }
      for (RealPeer peer : topics.subscribers(topic)) {
        if (peer != exclude && peer.writeState(topic, frame, version)) {
          written[0]++;
        }
      }
      return version;
    });
    return written[0];
  }

  /** Writes a state to one peer; a versioned one only if the peer's last state of the topic is older. */
  boolean sendState(RealPeer peer, String topic, OutboundFrame frame, StateVersion version) {
    if (version == null) {
      return peer.write(frame);
    }
    boolean[] written = {false};
    // The topic's entry is the lock that orders this write with the fan-outs of the topic.
    versions.compute(topic, (t, last) -> {
      written[0] = peer.writeState(topic, frame, version);
      return last;
    });
    return written[0];
  }

  @Override
  public void gained(String topic) {
    try {
      backplane.subscribe(topic);
    } catch (RuntimeException e) {
      LOG.warn("backplane failed to subscribe to topic {}; other nodes' publishes will not arrive", topic, e);
    }
  }

  @Override
  public void lost(String topic) {
    versions.remove(topic);
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
    hookExecutor.shutdown();
    return hookExecutor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  // --- inbound, on the peer's mailbox ---

  void dispatchText(RealPeer peer, String text) {
    Json.Parsed parsed = json.parseLenient(text);
    if (parsed.refused()) {
      refuseJson(peer, parsed.refusal());
      return;
    }
    JsonNode value = parsed.value();
    Message message = Message.text(text, value);
    TopicAction action = protocolAction(value);
    if (action == null) {
      runHook(peer, "message", () -> handler.message(peer, message));
      return;
    }
    JsonNode topicNode = value.get("topic");
    String topic = topicNode != null && topicNode.isTextual() ? topicNode.textValue() : null;
    String verb = action.name().toLowerCase(Locale.ROOT);
    if (topic == null || !TopicNames.isValid(topic)) {
      refuse(peer, ErrorCode.BAD_REQUEST, "'" + verb + "' needs a 'topic': a string of 1 to " + TopicNames.MAX_BYTES
          + " UTF-8 bytes without control characters or lone surrogates");
      return;
    }
    if (config.internalTopics().contains(topic)) {
      refuse(peer, ErrorCode.FORBIDDEN, "topic '" + topic + "' is internal: clients may only listen to it");
      return;
    }
    if (action == TopicAction.UNSUBSCRIBE && config.defaultTopics().contains(topic)) {
      refuse(peer, ErrorCode.FORBIDDEN, "topic '" + topic + "' is a default topic: every peer stays subscribed");
      return;
    }
    if (action == TopicAction.SUBSCRIBE && !peer.isSubscribed(topic) && peer.topicCount() >= config.maxTopicsPerPeer()) {
      refuse(peer, ErrorCode.TOO_MANY_TOPICS, "already subscribed to " + config.maxTopicsPerPeer()
          + " topics, the most this server allows: unsubscribe from one first");
      return;
    }
    runHook(peer, verb, () -> {
      if (!handler.authorize(peer, action, topic)) {
        refuse(peer, ErrorCode.FORBIDDEN, "not allowed to " + verb + " topic '" + topic + "'");
        return;
      }
      switch (action) {
        case SUBSCRIBE -> {
          peer.subscribe(topic);
          handler.subscribed(peer, topic);
        }
        case UNSUBSCRIBE -> peer.unsubscribe(topic);
        case PUBLISH -> handler.message(peer, message);
      }
    });
  }

  void dispatchBinary(RealPeer peer, byte[] bytes) {
    runHook(peer, "message", () -> handler.message(peer, Message.binary(bytes)));
  }

  private static TopicAction protocolAction(JsonNode value) {
    JsonNode type = value.isObject() ? value.get("type") : null;
    if (type == null || !type.isTextual()) {
      return null;
    }
    return switch (type.textValue()) {
      case "subscribe" -> TopicAction.SUBSCRIBE;
      case "unsubscribe" -> TopicAction.UNSUBSCRIBE;
      case "publish" -> TopicAction.PUBLISH;
      default -> null;
    };
  }

  private void refuseJson(RealPeer peer, Json.Refusal refusal) {
    switch (refusal) {
      case TOO_DEEP -> refuse(peer, ErrorCode.TOO_DEEP, "message nested deeper than " + config.maxJsonDepth() + " levels");
      case TOO_LONG -> refuse(peer, ErrorCode.INVALID_JSON, "a number over " + Json.MAX_NUMBER_CHARS
          + " characters or a field name over " + Json.MAX_NAME_CHARS + " characters");
      case OUT_OF_RANGE -> refuse(peer, ErrorCode.INVALID_JSON, "a number beyond the range of a double");
    }
  }

  /** Answers the peer with an error frame and logs the refusal, as often as its refusal log lets through. */
  private void refuse(RealPeer peer, ErrorCode code, String reason) {
    peer.refusals.log(reason);
    peer.sendError(code, reason, List.of());
  }

  @FunctionalInterface
  interface Hook {
    void run() throws Exception;
  }

  /**
   * Runs app code for a peer. A failure is logged with the peer id, answered to the peer with an
   * error frame and passed to the error hook; the connection stays open.
   */
  void runHook(RealPeer peer, String name, Hook hook) {
    try {
      hook.run();
    } catch (ValidationException e) {
      peer.refusals.log(name + " hook rejected a message: " + e.getMessage());
      peer.sendError(ErrorCode.INVALID_MESSAGE, e.getMessage(), e.issues());
      notifyError(peer, e);
    } catch (Exception | LinkageError | AssertionError e) {
      LOG.warn("peer {}: {} hook failed", peer.id(), name, e);
      peer.sendError(ErrorCode.SERVER_ERROR, "the server could not handle this message", List.of());
      notifyError(peer, e);
    }
  }

  private void notifyError(RealPeer peer, Throwable error) {
    try {
      handler.error(peer, error);
    } catch (RuntimeException e) {
      LOG.warn("peer {}: error hook failed", peer.id(), e);
    }
  }
}
