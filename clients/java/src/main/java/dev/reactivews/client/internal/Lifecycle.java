package dev.reactivews.client.internal;

import dev.reactivews.TopicAction;
import dev.reactivews.client.HeldVersion;
import dev.reactivews.client.Snapshot;
import dev.reactivews.client.States;
import dev.reactivews.client.Status;
import dev.reactivews.internal.JsonPatchException;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The connection's state, and every decision that changes it. Closed, then connecting (loading
 * the server's config if the rules need it, then the handshake), then open; a loss goes back to
 * closed and, as the {@link ReconnectTimer} says, connecting again; {@link #close()} ends it until
 * the next {@link #open()}. One lock guards the state and the parts the lifecycle drives ({@link Outbox}, {@link
 * TopicRules}, {@link ReconnectTimer}, {@link Snapshots}), so that an open, a loss and a send are
 * each seen whole. Socket callbacks and timers only take the lock briefly and post events, which
 * listeners hear on the {@link Dispatcher}'s thread. A patch frame is applied here, under the lock,
 * because it needs the state and version held and may answer with a resync; the {@link Receiver}
 * only decodes frames.
 */
final class Lifecycle {
  private static final Logger LOG = LoggerFactory.getLogger(Lifecycle.class);

  private final ClientOptions options;
  /** The client's name, first in every log line. */
  private final String client;
  private final TaskRunner runner;
  private final Transport transport;
  private final Dispatcher dispatcher;
  private final Receiver receiver;
  private final HeartbeatTimer heartbeats;
  private final SocketCloser closer;

  /** Guards every field below and the parts they hold; never held while waiting for the network. */
  private final ReentrantLock lock = new ReentrantLock();
  /** What readers see; replaced under the lock only, so events are posted in the order of the changes. */
  private final Snapshots snapshots;
  /** What waits to be sent; it writes only to {@link #connection} once open. Guarded by the lock. */
  private final Outbox outbox;
  /** The topics wanted and the rules about them; guarded by the lock. */
  private final TopicRules topics;
  private final Protocol protocol;
  /** Has a reconnect waiting only while {@link #connection} is null and not {@link #closed}; guarded by the lock. */
  private final ReconnectTimer reconnects;
  /** The attempt under way or the open connection; null exactly when there is neither. Guarded by the lock. */
  private Attempt connection;
  /** Set by close(), cleared by the next open(); guarded by the lock. */
  private boolean closed;

  Lifecycle(ClientOptions options, Protocol protocol, String client, TaskRunner runner, Transport transport,
      Dispatcher dispatcher, Receiver receiver, Snapshot initial) {
    this.options = options;
    this.client = client;
    this.runner = runner;
    this.transport = transport;
    this.dispatcher = dispatcher;
    this.receiver = receiver;
    this.heartbeats = new HeartbeatTimer(options.heartbeat(), runner, this);
    this.closer = new SocketCloser(runner, client);
    this.snapshots = new Snapshots(initial, dispatcher);
    this.outbox = new Outbox(options.bufferLimit(), client, this::written);
    this.topics = new TopicRules(options, protocol, client);
    this.protocol = protocol;
    this.reconnects = new ReconnectTimer(options.reconnect(), runner, client);
  }

  Snapshot snapshot() {
    return snapshots.current();
  }

  Set<String> topics() {
    lock.lock();
    try {
      return topics.wanted();
    } finally {
      lock.unlock();
    }
  }

  int bufferedMessages() {
    lock.lock();
    try {
      return outbox.size();
    } finally {
      lock.unlock();
    }
  }

  // --- sending ---

  /** Applies the topic rules to an operation, then sends or buffers it as they say. */
  boolean operate(TopicAction type, String topic, Outbound message) {
    lock.lock();
    try {
      if (topics.isInternal(topic)) {
        LOG.info("{}: refused to {} topic '{}': it is internal, clients may only listen to it", client, Protocol.wire(type), topic);
        return false;
      }
      if (type == TopicAction.PUBLISH) {
        return outbox.offer(message, connection);
      }
      // Not open: the next open subscribes exactly the topics wanted then.
      if (isOpen() && !outbox.offer(message, connection)) {
        return false;
      }
      topics.want(type, topic);
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** {@code operate(SUBSCRIBE, topic, ...)} with the frame made now, so that it carries the version held now. */
  boolean subscribe(String topic) {
    lock.lock();
    try {
      return operate(TopicAction.SUBSCRIBE, topic, topics.subscription(topic, snapshots.current().states()));
    } finally {
      lock.unlock();
    }
  }

  boolean enqueue(Outbound message) {
    lock.lock();
    try {
      return outbox.offer(message, connection);
    } finally {
      lock.unlock();
    }
  }

  /** Under the lock. */
  private boolean isOpen() {
    return connection != null && connection.socket != null;
  }

  private void written(Attempt c, Throwable error) {
    lock.lock();
    try {
      if (connection != c) {
        return;
      }
      c.writing = false;
      if (error != null) {
        drop(c, unwrap(error));
        return;
      }
      outbox.pump(c);
    } finally {
      lock.unlock();
    }
  }

  // --- connecting ---

  void open() {
    lock.lock();
    try {
      if (connection != null) {
        return;
      }
      closed = false;
      reconnects.reset();
      startAttempt();
    } finally {
      lock.unlock();
    }
  }

  /** Under the lock, not closed, no connection. */
  private void startAttempt() {
    Attempt attempt = new Attempt(this, receiver, dispatcher, runner);
    connection = attempt;
    snapshots.status(Status.CONNECTING);
    runner.execute(() -> {
      if (needsConfig()) {
        loadConfig().whenCompleteAsync((ignored, error) -> handshake(attempt), runner::execute);
      } else {
        handshake(attempt);
      }
    });
  }

  boolean isCurrent(Attempt c) {
    lock.lock();
    try {
      return connection == c;
    } finally {
      lock.unlock();
    }
  }

  private boolean needsConfig() {
    lock.lock();
    try {
      return topics.needsConfig();
    } finally {
      lock.unlock();
    }
  }

  private CompletableFuture<Void> loadConfig() {
    return transport.loadConfig().thenAccept(loaded -> {
      if (loaded != null) {
        lock.lock();
        try {
          topics.learned(loaded);
        } finally {
          lock.unlock();
        }
      }
    });
  }

  private void handshake(Attempt attempt) {
    if (!isCurrent(attempt)) {
      return;
    }
    CompletableFuture<?> connected;
    try {
      connected = transport.connect(handshakeUrl(), attempt);
    } catch (RuntimeException e) {
      connected = CompletableFuture.failedFuture(e);
    }
    // Success is handled in onOpen, which comes before this completes. A failure may complete on
    // a JDK thread (the common pool): the client's own thread takes it from there.
    connected.whenCompleteAsync((ignored, error) -> {
      if (error != null) {
        lost(attempt, unwrap(error));
      }
    }, runner::execute);
  }

  private URI handshakeUrl() {
    lock.lock();
    try {
      return topics.handshakeUrl(snapshots.current().states());
    } finally {
      lock.unlock();
    }
  }

  void opened(Attempt c, Socket socket) {
    lock.lock();
    try {
      if (connection != c) {
        socket.abort();
        return;
      }
      c.socket = socket;
      c.lastReceived = runner.nanoTime();
      reconnects.opened();
      List<Outbound> subscriptions = topics.opened(outbox, snapshots.current().states());
      outbox.prepend(subscriptions);
      // Announced after the writes are queued, so that what a listener sends on OPEN comes after them.
      snapshots.status(Status.OPEN);
      LOG.debug("{}: open to {}", client, options.url());
      heartbeats.start(c);
      outbox.pump(c);
      socket.request();
    } finally {
      lock.unlock();
    }
  }

  /** The connection failed or ended without close(): report it, and reconnect if the policy says so. */
  void lost(Attempt c, Throwable cause) {
    lock.lock();
    try {
      if (connection != c) {
        return;
      }
      connection = null;
      if (c.heartbeat != null) {
        c.heartbeat.cancel();
      }
      snapshots.status(Status.CLOSED);
      LOG.info("{}: {} {}: {}", client, c.socket == null ? "could not connect to" : "lost the connection to",
          options.url(), cause.toString());
      dispatcher.post(new Dispatcher.Failed(cause));
      if (reconnects.willRetry()) {
        reconnects.schedule(this::retry);
      } else {
        reconnects.gaveUp(options.url());
      }
    } finally {
      lock.unlock();
    }
  }

  /** A write failed: drop the connection, with no close frame, as lost. */
  void drop(Attempt c, Throwable cause) {
    lock.lock();
    try {
      if (connection != c) {
        return;
      }
      c.socket.abort();
      lost(c, cause);
    } finally {
      lock.unlock();
    }
  }

  /**
   * The server did not answer the heartbeat: a close frame with {@link SocketCloser#CLOSE_HEARTBEAT_TIMEOUT}
   * goes out if it still can, and the connection counts as lost at once, without waiting for a
   * close handshake that a half-open server never finishes.
   */
  void timedOut(Attempt c, Throwable cause) {
    lock.lock();
    try {
      if (connection != c) {
        return;
      }
      closer.closeTimedOut(c.socket);
      lost(c, cause);
    } finally {
      lock.unlock();
    }
  }

  private void retry() {
    lock.lock();
    try {
      reconnects.started();
      if (!closed && connection == null) {
        startAttempt();
      }
    } finally {
      lock.unlock();
    }
  }

  // --- receiving ---

  /** Applies what {@code c} received to the snapshot, unless {@code c} is gone. */
  void received(Attempt c, Receiver.Inbound inbound) {
    lock.lock();
    try {
      if (connection != c) {
        return;
      }
      if (inbound.state() != null) {
        Protocol.State state = inbound.state();
        c.resyncsAwaited.remove(state.topic());
        snapshots.state(state.topic(), state.payload(), inbound.typed(), state.version());
      } else if (inbound.patch() != null) {
        patched(c, inbound.patch());
      } else {
        snapshots.data(inbound.data());
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * A patch applies to the version before its own, and then the topic is at its version. An older
   * one was applied already. Past a gap, or with nothing held, it is dropped and a resync asks for
   * what is missing, once until that comes; one that does not apply asks for the whole state.
   * Under the lock.
   */
  private void patched(Attempt c, Protocol.Patch patch) {
    String topic = patch.topic();
    States states = snapshots.current().states();
    HeldVersion held = states.version(topic);
    // Subtracted after the comparison, so that no number overflows.
    if (held != null && patch.number() > held.number() && patch.number() - held.number() == 1) {
      JsonNode next;
      try {
        next = patch.applyTo(states.json(topic));
      } catch (JsonPatchException e) {
        LOG.warn("{}: a patch of topic '{}' to version {} does not apply to the state held ({}): asking for the whole state",
            client, topic, patch.number(), e.getMessage());
        resync(c, topic, null);
        return;
      }
      Object typed;
      try {
        typed = receiver.typed(topic, next);
      } catch (Receiver.MisfitState reported) {
        return;
      }
      c.resyncsAwaited.remove(topic);
      snapshots.state(topic, next, typed, new HeldVersion(held.epoch(), patch.number()));
    } else if (held != null && patch.number() <= held.number()) {
      LOG.debug("{}: ignored a patch of topic '{}' to version {}: version {} is held", client, topic, patch.number(), held.number());
    } else if (c.resyncsAwaited.contains(topic)) {
      LOG.debug("{}: dropped a patch of topic '{}' to version {}: a resync is under way", client, topic, patch.number());
    } else {
      LOG.info("{}: a patch of topic '{}' to version {} does not follow on from {}: asking for what is missing",
          client, topic, patch.number(), held == null ? "nothing held" : "version " + held.number());
      resync(c, topic, held);
    }
  }

  /** Asks the server for what {@code held} lacks (the whole state when null), on {@code c} only. Under the lock. */
  private void resync(Attempt c, String topic, HeldVersion held) {
    c.resyncsAwaited.add(topic);
    outbox.offerForConnection(Outbound.forConnection(protocol.resync(topic, held)), c);
  }

  // --- heartbeat ---

  /** Queues a ping on {@code c} and plans the next beat for {@code nextAt}; false when {@code c} is gone. */
  boolean ping(Attempt c, String message, long nextAt) {
    lock.lock();
    try {
      if (connection != c) {
        return false;
      }
      outbox.offerForConnection(Outbound.forConnection(message), c);
      c.heartbeat = heartbeats.scheduleBeat(c, nextAt);
      return true;
    } finally {
      lock.unlock();
    }
  }

  // --- closing ---

  /**
   * Closes the connection and stops reconnecting until the next {@link #open()}; the topics, the
   * states and the buffer stay for it. False if it was closed already.
   */
  boolean close(int code, String reason) {
    Attempt c;
    lock.lock();
    try {
      if (closed) {
        return false;
      }
      closed = true;
      reconnects.cancel();
      c = connection;
      connection = null;
      if (c != null && c.heartbeat != null) {
        c.heartbeat.cancel();
      }
      snapshots.status(Status.CLOSED);
    } finally {
      lock.unlock();
    }
    if (c != null && c.socket != null) {
      closer.closeGracefully(c.socket, code, reason);
    }
    return true;
  }

  private static Throwable unwrap(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
