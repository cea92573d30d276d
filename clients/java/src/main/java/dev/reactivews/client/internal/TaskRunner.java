package dev.reactivews.client.internal;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;

/**
 * The client's one clock and the one thread its timed work runs on: reconnect delays, heartbeats,
 * pong and close timeouts, and the hops off the JDK's threads. Tests replace it with a runner on
 * virtual time, so that what a client does after 30 s is checked in a millisecond.
 */
interface TaskRunner {
  /** A task that was scheduled and may still be called off. */
  interface Scheduled {
    /** The task does not run if it has not started; one that runs finishes. */
    void cancel();
  }

  /** Now, in nanoseconds from an arbitrary origin, as {@link System#nanoTime()}. */
  long nanoTime();

  /**
   * Runs the task once {@code delay} has passed, after every task due earlier or at the same time
   * and scheduled before it; {@link RejectedExecutionException} once {@link #shutdownNow()} ran.
   */
  Scheduled schedule(Duration delay, Runnable task);

  /** Runs the task as soon as the tasks already due have run. */
  default void execute(Runnable task) {
    schedule(Duration.ZERO, task);
  }

  /** Runs nothing more: waiting tasks are dropped, a running one is interrupted. */
  void shutdownNow();

  /** Takes tasks again after {@link #shutdownNow()}, on a new thread: the client was opened after a close. */
  void restart();

  /** Whether the running task ended within the timeout. */
  boolean awaitTermination(Duration timeout) throws InterruptedException;
}
