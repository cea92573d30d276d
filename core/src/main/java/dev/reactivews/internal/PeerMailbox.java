package dev.reactivews.internal;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one peer's tasks one at a time, in the order they were offered, on the executor (virtual
 * threads), so hooks of a peer never overlap and may block without holding an I/O thread.
 */
final class PeerMailbox {
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  /** Tasks offered and not yet finished. */
  private final AtomicInteger pending = new AtomicInteger();
  /** True while a drain is scheduled or running; at most one at a time. */
  private final AtomicBoolean draining = new AtomicBoolean();

  private final Executor executor;
  private final int capacity;

  PeerMailbox(Executor executor, int capacity) {
    this.executor = executor;
    this.capacity = capacity;
  }

  /** Queues a task unless {@code capacity} tasks are already waiting; false if refused. */
  boolean offer(Runnable task) {
    if (pending.incrementAndGet() > capacity) {
      pending.decrementAndGet();
      return false;
    }
    enqueue(task);
    return true;
  }

  /** Whether no task waits or runs: work done now, on the offering thread, keeps its order with the others. */
  boolean isIdle() {
    return pending.get() == 0;
  }

  /** Queues a task whatever the backlog: for lifecycle events that must not be lost. */
  void offerAlways(Runnable task) {
    pending.incrementAndGet();
    enqueue(task);
  }

  private void enqueue(Runnable task) {
    tasks.add(task);
    if (draining.compareAndSet(false, true)) {
      executor.execute(this::drain);
    }
  }

  private void drain() {
    while (true) {
      Runnable task = tasks.poll();
      if (task == null) {
        draining.set(false);
        // A task offered after the poll but before the flag dropped would wait forever: recheck.
        if (tasks.isEmpty() || !draining.compareAndSet(false, true)) {
          return;
        }
        continue;
      }
      try {
        task.run();
      } catch (RuntimeException | Error e) {
        // Hooks report their own failures; whatever still escapes must not stall the tasks after it.
        Hub.LOG.error("a task of a peer's mailbox failed", e);
      } finally {
        pending.decrementAndGet();
      }
    }
  }
}
