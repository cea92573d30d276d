package dev.reactivews.internal;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Turns any number of requests for a run into at most one run per interval: the first request
 * after a quiet interval is handed over at once, the requests within an interval of a run's start
 * become one run at the interval's end. A run calls {@link #started} before it reads what it
 * reports, so a request that comes later always gets a run of its own that sees it.
 */
final class Throttle {
  private final long intervalNanos;
  private final Runnable submit;
  /** Its thread exists only while a trailing run waits, so an idle server holds none. */
  private final ScheduledThreadPoolExecutor timer;
  /** True from a request until the run it asked for has started. */
  private final AtomicBoolean requested = new AtomicBoolean();
  private volatile long lastStartNanos;

  /** {@code submit} hands a run over (to the queue it runs from); it calls {@link #started} first. */
  Throttle(Duration interval, String threadName, Runnable submit) {
    this.intervalNanos = interval.toNanos();
    this.submit = submit;
    this.timer = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().name(threadName).daemon().factory());
    timer.setKeepAliveTime(1, TimeUnit.SECONDS);
    timer.allowCoreThreadTimeOut(true);
    this.lastStartNanos = System.nanoTime() - intervalNanos;
  }

  /** Asks for a run; does nothing while one asked for has not started yet: that one will see this request. */
  void request() {
    if (!requested.compareAndSet(false, true)) {
      return;
    }
    long wait = lastStartNanos + intervalNanos - System.nanoTime();
    if (wait <= 0) {
      submit.run();
    } else {
      timer.schedule(submit, wait, TimeUnit.NANOSECONDS);
    }
  }

  /** Called by the run as it starts, before it reads what it reports. */
  void started() {
    lastStartNanos = System.nanoTime();
    requested.set(false);
  }

  /** Drops a trailing run still waiting; a request that would have to wait is refused from then on with {@link RejectedExecutionException}. */
  void stop() {
    timer.shutdownNow();
  }
}
