package dev.reactivews.client.internal;

import java.time.Duration;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A {@link TaskRunner} on virtual time, in the spirit of OkHttp's {@code TaskFaker}: nothing runs
 * until the test moves time on, and then due tasks run on the test's thread, by due time, ties in
 * the order they were scheduled. Only the test's thread may call it.
 */
final class FakeTaskRunner implements TaskRunner {
  private record Task(long dueAt, long order, Runnable body, boolean[] cancelled) {}

  /** Waiting tasks, the next due first; a cancelled one is dropped when it comes up. */
  private final PriorityQueue<Task> queue = new PriorityQueue<>(
      (a, b) -> a.dueAt != b.dueAt ? Long.compare(a.dueAt, b.dueAt) : Long.compare(a.order, b.order));
  /** Virtual now; starts far from 0 so that code which takes 0 for "never" shows up. */
  private long now = Duration.ofDays(1).toNanos();
  /** Counts scheduled tasks, for the order of ties. */
  private long scheduled;
  private boolean shutDown;

  @Override
  public long nanoTime() {
    return now;
  }

  @Override
  public Scheduled schedule(Duration delay, Runnable task) {
    if (shutDown) {
      throw new RejectedExecutionException("the runner is shut down");
    }
    boolean[] cancelled = {false};
    queue.add(new Task(now + Math.max(0, delay.toNanos()), scheduled++, task, cancelled));
    return () -> cancelled[0] = true;
  }

  /**
   * Unlike the real runner it keeps what waits (but takes nothing new), so a test can still see
   * whether the client called off its own tasks before it shut the runner down.
   */
  @Override
  public void shutdownNow() {
    shutDown = true;
  }

  @Override
  public void restart() {
    shutDown = false;
  }

  @Override
  public boolean awaitTermination(Duration timeout) {
    return true;
  }

  /** Moves time on by {@code step}, running every task that comes due by then, the ones they schedule too. */
  void advanceBy(Duration step) {
    long target = now + step.toNanos();
    for (Task next = poll(target); next != null; next = poll(target)) {
      now = Math.max(now, next.dueAt);
      next.body.run();
    }
    now = target;
  }

  /** Runs what is due now, and what that schedules for now. */
  void runUntilIdle() {
    advanceBy(Duration.ZERO);
  }

  /** How long until the next task that is not cancelled is due; null when none waits. */
  Duration nextDelay() {
    dropCancelled();
    return queue.isEmpty() ? null : Duration.ofNanos(queue.peek().dueAt - now);
  }

  /** How many tasks wait and were not cancelled. */
  int pending() {
    return (int) queue.stream().filter(task -> !task.cancelled[0]).count();
  }

  /** An executor whose tasks run on this runner's virtual time, as the listeners' thread. */
  ExecutorService executor() {
    return new AbstractExecutorService() {
      private boolean stopped;

      @Override
      public void execute(Runnable command) {
        if (stopped) {
          throw new RejectedExecutionException("the executor is shut down");
        }
        FakeTaskRunner.this.execute(command);
      }

      @Override
      public void shutdown() {
        stopped = true;
      }

      @Override
      public List<Runnable> shutdownNow() {
        stopped = true;
        return List.of();
      }

      @Override
      public boolean isShutdown() {
        return stopped;
      }

      @Override
      public boolean isTerminated() {
        return stopped;
      }

      @Override
      public boolean awaitTermination(long timeout, TimeUnit unit) {
        return true;
      }
    };
  }

  private Task poll(long target) {
    dropCancelled();
    return !queue.isEmpty() && queue.peek().dueAt <= target ? queue.poll() : null;
  }

  private void dropCancelled() {
    while (!queue.isEmpty() && queue.peek().cancelled[0]) {
      queue.poll();
    }
  }
}
