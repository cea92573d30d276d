package dev.reactivews.client.internal;

import dev.reactivews.TopicAction;
import dev.reactivews.client.Snapshot;
import dev.reactivews.client.Status;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection's state, and every decision that changes it. Closed, then connecting (loading
 * the server's config if the rules need it, then the handshake), then open; a loss goes back to
 * closed and, as the {@link ReconnectTimer} says, connecting again; {@link #close()} ends it until
 * the next {@link #open()}. One lock guards the state and the parts the lifecycle drives ({@link Outbox}, {@link
 * TopicRules}, {@link ReconnectTimer}, {@link Snapshots}), so that an open, a loss and a send are
 * each seen whole. Socket callbacks and timers only take the lock briefly and post events, which
 * listeners hear on the {@link Dispatcher}'s thread.
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
      connected = transport.connect(attempt);
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
      List<Outbound> subscriptions = topics.opened(outbox);
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
      if (connection == c) {
        snapshots.apply(inbound);
      }
    } finally {
      lock.unlock();
    }
  }

  // --- heartbeat ---

  /** Queues a ping on {@code c} and plans the next beat for {@code nextAt}; false when {@code c} is gone. */
  boolean ping(Attempt c, String message, long nextAt) {
    lock.lock();
    try {
      if (connection != c) {
        return false;
      }
      outbox.ping(Outbound.ping(message), c);
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
