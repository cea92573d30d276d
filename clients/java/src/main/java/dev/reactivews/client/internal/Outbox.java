package dev.reactivews.client.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The messages not yet handed to the socket, and the writer that hands them over one at a time.
 * It holds what is sent while not open, up to its limit, until the next open flushes it in order.
 * Not thread-safe: the {@link Lifecycle} calls it under its lock.
 */
final class Outbox {
  private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

  private final int limit;
  private final String client;
  /** Told when a write ended, from whichever thread ended it, with null or the failure. */
  private final BiConsumer<Attempt, Throwable> written;
  /** Oldest first; no more than {@link #limit} but for heartbeats, resyncs and the subscriptions of an open. */
  private final Deque<Outbound> queue = new ArrayDeque<>();
  /** Whether a full outbox was already logged since it last had room. */
  private boolean fullLogged;

  Outbox(int limit, String client, BiConsumer<Attempt, Throwable> written) {
    this.limit = limit;
    this.client = client;
    this.written = written;
  }

  int size() {
    return queue.size();
  }

  /** Queues the message unless the outbox is full, and writes what it can to the open connection {@code c} (or null). */
  boolean offer(Outbound message, Attempt c) {
    if (queue.size() >= limit) {
      if (!fullLogged) {
        LOG.warn("{}: {} messages wait to be sent, the most allowed: refusing more until some are sent",
            client, queue.size());
        fullLogged = true;
      }
      return false;
    }
    fullLogged = false;
    queue.add(message);
    pump(c);
    return true;
  }

  /**
   * Queues a message of the protocol's own for the open connection {@code c} (a heartbeat, a
   * resync), which the limit does not hold back, and writes what it can.
   */
  void offerForConnection(Outbound message, Attempt c) {
    queue.add(message);
    pump(c);
  }

  /** Puts the messages first, in their order: they go before everything that waited. */
  void prepend(List<Outbound> messages) {
    for (int i = messages.size() - 1; i >= 0; i--) {
      queue.addFirst(messages.get(i));
    }
  }

  void removeIf(Predicate<Outbound> unwanted) {
    queue.removeIf(unwanted);
  }

  void clear() {
    queue.clear();
  }

  /** Hands the open connection {@code c} (or null) the next messages, one at a time. */
  void pump(Attempt c) {
    while (c != null && c.socket != null && !c.writing && !queue.isEmpty()) {
      Outbound next = queue.poll();
      c.writing = true;
      CompletableFuture<?> sent;
      try {
        sent = next.text() != null ? c.socket.sendText(next.text()) : c.socket.sendBinary(next.bytes());
      } catch (RuntimeException e) {
        sent = CompletableFuture.failedFuture(e);
      }
      if (sent.isDone() && !sent.isCompletedExceptionally()) {
        c.writing = false;
        continue;
      }
      sent.whenComplete((ignored, error) -> written.accept(c, error));
      return;
    }
  }
}
