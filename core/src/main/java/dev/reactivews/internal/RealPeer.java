package dev.reactivews.internal;

import dev.reactivews.CloseEvent;
import dev.reactivews.Peer;
import dev.reactivews.SendOptions;
import dev.reactivews.UpgradeRequest;
import dev.reactivews.WsCloseStatus;
import dev.reactivews.state.StateVersion;
import dev.reactivews.state.WsStates;
import dev.reactivews.transport.OutboundFrame;
import dev.reactivews.transport.WsSocket;
import dev.reactivews.transport.WsSocketListener;
import dev.reactivews.validation.Issue;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/** A peer of the {@link Hub}, bound to one transport connection. */
public final class RealPeer implements Peer, WsSocketListener {
  /** A close frame's payload is at most 125 bytes, two of them the code (RFC 6455 5.5). */
  private static final int MAX_CLOSE_REASON_BYTES = 123;
  /** The handshake's query parameter by which a client opts in to patches, and its one value, protocol 1. */
  private static final String DELTAS_PARAMETER = "rws";
  private static final String DELTAS_ON = "1";

  private final String id = UUID.randomUUID().toString();
  private final Hub hub;
  private final WsSocket connection;
  private final UpgradeRequest request;
  /** This peer's side of the topic registry; the registry holds the other side. */
  private final Set<String> topics = ConcurrentHashMap.newKeySet();
  /**
   * Whether the client applies patches and resumes from the versions it holds: it said so with
   * {@code rws=1} on the handshake URL. Other peers get whole states only, as nuxt-ws's client
   * expects.
   */
  final boolean deltas;
  /** Used only by the connection's I/O thread. */
  private final RateLimiter rateLimiter;
  /**
   * The version of the topic's state this peer holds: the last versioned state or patch written
   * to it, or the one it said it holds on resuming. Under the hub's topic lock, or a state topic's
   * replica's.
   */
  private final Map<String, StateVersion> stateVersions = new ConcurrentHashMap<>();

  final PeerMailbox mailbox;
  /** What this peer had refused, logged at a bounded rate. */
  final RefusalLog refusals;
  /** Set once, when the connection has ended; the peer then leaves every topic. */
  private volatile boolean closed;

  RealPeer(Hub hub, WsSocket connection, UpgradeRequest request) {
    this.hub = hub;
    this.connection = connection;
    this.request = request;
    this.deltas = DELTAS_ON.equals(request.query(DELTAS_PARAMETER));
    this.mailbox = hub.hooks.mailbox(hub.config.maxQueuedMessages());
    this.rateLimiter = RateLimiter.of(hub.config.maxMessagesPerSecond(), System.nanoTime());
    this.refusals = new RefusalLog(Hub.LOG, id, System::nanoTime);
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public boolean send(Object data, SendOptions options) {
    return write(hub.frames.data(Objects.requireNonNull(data, "data == null"), options.compress()));
  }

  @Override
  public boolean sendState(String topic, Object payload, SendOptions options) {
    Objects.requireNonNull(topic, "topic == null");
    hub.states.refuseWholeStates(topic);
    StateVersion version = VersionedStates.versionOf(options);
    return hub.sendState(this, topic, hub.frames.state(topic, payload, options.compress(), version), version);
  }

  @Override
  public int publish(String topic, Object data, SendOptions options) {
    Objects.requireNonNull(topic, "topic == null");
    OutboundFrame frame = hub.frames.data(Objects.requireNonNull(data, "data == null"), options.compress());
    return hub.publish(topic, frame, this, VersionedStates.versionOf(options));
  }

  @Override
  public int publishState(String topic, Object payload, SendOptions options) {
    Objects.requireNonNull(topic, "topic == null");
    hub.states.refuseWholeStates(topic);
    StateVersion version = VersionedStates.versionOf(options);
    return hub.publish(topic, hub.frames.state(topic, payload, options.compress(), version), this, version);
  }

  @Override
  public void subscribe(String topic) {
    Objects.requireNonNull(topic, "topic == null");
    topics.add(topic);
    hub.topics.subscribe(topic, this);
    hub.states.joined(this, topic);
    leaveIfClosed(topic);
  }

  /**
   * Subscribes a delta peer that says it holds {@code held} of the topic's state (null: nothing),
   * so that a state topic catches it up from there. Already subscribed, it is a resync.
   */
  void subscribe(String topic, @Nullable StateVersion held) {
    if (!topics.add(topic)) {
      hub.states.resync(this, topic, held);
      return;
    }
    // Before the registry knows the peer, so that the replica's first word to it starts from there.
    if (held != null && hub.states.isStateTopic(topic)) {
      stateVersions.put(topic, held);
    }
    hub.topics.subscribe(topic, this);
    hub.states.joined(this, topic);
    leaveIfClosed(topic);
  }

  /** A close running at the same time as a subscribe may have missed its topic: undo, so nothing leaks. */
  private void leaveIfClosed(String topic) {
    if (closed) {
      leave(topic);
    }
  }

  @Override
  public void unsubscribe(String topic) {
    leave(Objects.requireNonNull(topic, "topic == null"));
  }

  private void leave(String topic) {
    topics.remove(topic);
    hub.topics.unsubscribe(topic, this);
    stateVersions.remove(topic);
  }

  boolean isSubscribed(String topic) {
    return topics.contains(topic);
  }

  int topicCount() {
    return topics.size();
  }

  @Override
  public WsStates states() {
    return hub.states;
  }

  @Override
  public Set<String> topics() {
    return Set.copyOf(topics);
  }

  @Override
  public Collection<Peer> peers() {
    return hub.peers();
  }

  @Override
  public int peerCount() {
    return hub.peerCount();
  }

  @Override
  public Map<String, Object> context() {
    return request.context();
  }

  @Override
  public UpgradeRequest request() {
    return request;
  }

  @Override
  public boolean isOpen() {
    return !closed && connection.isOpen();
  }

  @Override
  public void close(int code, String reason) {
    // A transport that fails to write a bad close frame would leave the peer half closed: refuse first.
    if (!isSendable(code)) {
      throw new IllegalArgumentException("not a close code a server may send: " + code);
    }
    if (reason.getBytes(StandardCharsets.UTF_8).length > MAX_CLOSE_REASON_BYTES) {
      throw new IllegalArgumentException("close reason over " + MAX_CLOSE_REASON_BYTES + " bytes: " + reason);
    }
    connection.close(code, reason);
  }

  /** RFC 6455 7.4: the codes an endpoint may put in a close frame. */
  private static boolean isSendable(int code) {
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
  }

  boolean write(OutboundFrame frame) {
    if (closed || !connection.write(frame)) {
      return false;
    }
    hub.metrics.frameSent();
    return true;
  }

  /** Writes a versioned state unless this peer already got that version of the topic or a newer one. */
  boolean writeState(String topic, OutboundFrame frame, StateVersion version) {
    if (!version.follows(stateVersions.get(topic))) {
      return false;
    }
    if (!write(frame)) {
      return false;
    }
    stateVersions.put(topic, version);
    return true;
  }

  /** Writes a patch frame of the topic, which makes {@code version}; the caller knows the peer holds the one before. */
  boolean writePatch(String topic, OutboundFrame frame, StateVersion version) {
    if (!write(frame)) {
      return false;
    }
    stateVersions.put(topic, version);
    return true;
  }

  /** The version of the topic this peer holds, or null for none. */
  @Nullable StateVersion heldVersion(String topic) {
    return stateVersions.get(topic);
  }

  /** The peer says it holds this version of the topic (null: none it trusts). */
  void holdVersion(String topic, @Nullable StateVersion held) {
    if (held == null) {
      stateVersions.remove(topic);
    } else {
      stateVersions.put(topic, held);
    }
  }

  void sendError(ErrorCode code, String message, List<Issue> issues) {
    write(hub.frames.error(code, message, issues));
  }

  // --- WsSocketListener: the transport's I/O thread ---

  @Override
  public void onText(String text) {
    hub.metrics.frameReceived();
    if (!admit()) {
      return;
    }
    if ("ping".equals(text)) {
      write(Frames.PONG);
      return;
    }
    if (!mailbox.isIdle() || !hub.inbound.tryOnIoThread(this, text)) {
      queue(() -> hub.inbound.text(this, text));
    }
  }

  @Override
  public void onBinary(byte[] bytes) {
    hub.metrics.frameReceived();
    if (admit()) {
      queue(() -> hub.inbound.binary(this, bytes));
    }
  }

  /** Queues work on the mailbox, behind what waits there; a peer that has too much waiting is closed. */
  void queue(Runnable work) {
    if (!mailbox.offer(work)) {
      overflow();
    }
  }

  @Override
  public boolean onPing() {
    hub.metrics.frameReceived();
    return admit();
  }

  private boolean admit() {
    // Once either side has started to close, nothing more from this peer reaches the app.
    if (!isOpen()) {
      return false;
    }
    if (!rateLimiter.tryAcquire(System.nanoTime())) {
      Hub.LOG.info("peer {}: more than {} messages a second, closing", id, hub.config.maxMessagesPerSecond());
      connection.close(WsCloseStatus.RATE_LIMITED.code(), "too many messages");
      return false;
    }
    return true;
  }

  private void overflow() {
    Hub.LOG.info("peer {}: more than {} messages waiting for the app, closing", id, hub.config.maxQueuedMessages());
    connection.close(WsCloseStatus.RATE_LIMITED.code(), "too many queued messages");
  }

  @Override
  public void onClosed(int code, String reason) {
    if (leaveAll()) {
      hub.closed(this, new CloseEvent(code, reason));
    }
  }

  /** Marks the peer closed and leaves every topic; false if it was closed already. */
  boolean leaveAll() {
    if (closed) {
      return false;
    }
    closed = true;
    topics.forEach(this::leave);
    return true;
  }

  @Override
  public String toString() {
    return "Peer{" + id + "}";
  }
}
