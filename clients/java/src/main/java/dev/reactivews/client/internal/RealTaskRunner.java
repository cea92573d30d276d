package dev.reactivews.client.internal;

import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** Wall-clock time and one daemon thread, from construction or {@link #restart()} until {@link #shutdownNow()}. */
final class RealTaskRunner implements TaskRunner {
  private final String threadName;
  /** Replaced only by {@link #restart()}, once the one before is shut down. */
  private volatile ScheduledThreadPoolExecutor timer;

  RealTaskRunner(String threadName) {
    this.threadName = threadName;
    this.timer = newTimer();
  }

  private ScheduledThreadPoolExecutor newTimer() {
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, task -> {
      Thread thread = new Thread(task, threadName);
      thread.setDaemon(true);
      return thread;
    });
    // Cancelled reconnects and heartbeats would otherwise pile up until they were due.
    executor.setRemoveOnCancelPolicy(true);
    return executor;
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public Scheduled schedule(Duration delay, Runnable task) {
    var future = timer.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    return () -> future.cancel(false);
  }

  @Override
  public void execute(Runnable task) {
    timer.execute(task);
  }

  @Override
  public void shutdownNow() {
    timer.shutdownNow();
  }

  @Override
  public synchronized void restart() {
    if (timer.isShutdown()) {
      timer = newTimer();
    }
  }

  @Override
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return timer.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }
}
