package dev.reactivews.netty.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of request bodies the server holds while they arrive, over every connection: each
 * connection reserves what it reads and gives it back once its request was handed on or it
 * closed, so that many slow bodies together cannot take the server's memory.
 */
final class BodyBudget {
  private final long maxBytes;
  private final AtomicLong held = new AtomicLong();

  BodyBudget(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** Reserves the bytes, or nothing when they would take the total past the maximum. */
  boolean tryReserve(long bytes) {
    long before;
    do {
      before = held.get();
      if (before + bytes > maxBytes) {
        return false;
      }
    } while (!held.compareAndSet(before, before + bytes));
    return true;
  }

  void release(long bytes) {
    if (bytes > 0) {
      held.addAndGet(-bytes);
    }
  }
}
