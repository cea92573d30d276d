package dev.reactivews.client.internal;

import dev.reactivews.client.Data;
import dev.reactivews.client.Registration;
import dev.reactivews.client.Snapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a client's listeners on one thread of their own, one event at a time in the order they
 * were posted. The listener list and the last delivered snapshot belong to that thread alone, so
 * a listener added between two events hears exactly the second one onwards.
 */
final class Dispatcher {
  /** Events waiting for listeners at which the socket stops being read. */
  static final int HIGH_WATER = 256;
  /** Events waiting at which reading resumes. */
  static final int LOW_WATER = HIGH_WATER / 4;

  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

  enum Kind { STATUS, STATE, CHANGE, DATA, ERROR }

  sealed interface Event {}

  /** The status changed; the snapshot is the one after the change. */
  record StatusChanged(Snapshot snapshot) implements Event {}

  record StateChanged(String topic, Snapshot snapshot) implements Event {}

  record DataReceived(Data data, Snapshot snapshot) implements Event {}

  record Failed(Throwable error) implements Event {}

  /** Makes the {@link #executor}: at the start, and again when the client opens after a close. */
  private final Supplier<ExecutorService> executors;
  /** Runs one task at a time, in the order given: a thread of its own, or virtual time in tests. */
  private volatile ExecutorService executor;
  /** Events thread only. */
  private final List<Entry> entries = new ArrayList<>();
  /** Events thread only: the snapshot of the last event delivered, what a new listener hears first. */
  private Snapshot delivered;
  /** Events posted and not yet delivered; guarded by this. */
  private int pending;
  /** What to run once the backlog is down to {@link #LOW_WATER}, or null; guarded by this. */
  private Runnable resume;
  /** Set once the thread runs, to tell a close() called from a listener. */
  private volatile Thread thread;

  Dispatcher(Supplier<ExecutorService> executors, Snapshot initial) {
    this.executors = executors;
    this.executor = executors.get();
    this.delivered = initial;
  }

  /** The daemon thread a client's listeners run on. */
  static ExecutorService newThread(String threadName) {
    return new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), task -> {
      Thread t = new Thread(task, threadName);
      t.setDaemon(true);
      return t;
    });
  }

  /** Delivers the event to every listener, after the events posted before it. */
  void post(Event event) {
    synchronized (this) {
      pending++;
    }
    run(() -> {
      try {
        deliver(event);
      } finally {
        delivered();
      }
    });
  }

  /**
   * Whether the reader may take another message now; if not, {@code resume} runs (on the events
   * thread) once the listeners have caught up.
   */
  synchronized boolean admit(Runnable resume) {
    if (pending < HIGH_WATER) {
      return true;
    }
    this.resume = resume;
    return false;
  }

  private void delivered() {
    Runnable caughtUp = null;
    synchronized (this) {
      pending--;
      if (resume != null && pending <= LOW_WATER) {
        caughtUp = resume;
        resume = null;
      }
    }
    if (caughtUp != null) {
      caughtUp.run();
    }
  }

  /** Adds a listener: it hears the current value (for its kind) first, then every later event. */
  Registration add(Kind kind, String topic, Consumer<Object> consumer) {
    Entry entry = new Entry(kind, topic, consumer);
    run(() -> {
      entries.add(entry);
      entry.replay(delivered);
    });
    return entry;
  }

  boolean isDispatchThread() {
    return Thread.currentThread() == thread;
  }

  /** Delivers what was posted, then ends the thread; nothing posted later runs. */
  void shutdown() {
    executor.shutdown();
  }

  /** A new thread after {@link #shutdown()}, for a client opened again; the listeners stay. */
  synchronized void restart() {
    if (executor.isShutdown()) {
      ExecutorService previous = executor;
      executor = executors.get();
      // close() and open() from a listener: the old thread still runs it, and listeners run one at a time.
      run(() -> {
        try {
          previous.awaitTermination(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
    }
  }

  boolean awaitTermination(Duration timeout) throws InterruptedException {
    return executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Interrupts a listener that would not end. */
  void shutdownNow() {
    executor.shutdownNow();
  }

  private void run(Runnable task) {
    try {
      executor.execute(() -> {
        thread = Thread.currentThread();
        task.run();
      });
    } catch (RejectedExecutionException closed) {
      // The client is closed: there is no one left to tell.
    }
  }

  private void deliver(Event event) {
    switch (event) {
      case StatusChanged e -> delivered = e.snapshot();
      case StateChanged e -> delivered = e.snapshot();
      case DataReceived e -> delivered = e.snapshot();
      case Failed e -> {
        // not a change of the snapshot
      }
    }
    for (Entry entry : List.copyOf(entries)) {
      entry.handle(event);
    }
  }

  private void reportListenerFailure(Entry failed, RuntimeException error) {
    LOG.warn("a {} listener threw", failed.kind.name().toLowerCase(Locale.ROOT), error);
    if (failed.kind == Kind.ERROR) {
      return;
    }
    for (Entry entry : List.copyOf(entries)) {
      if (entry.kind == Kind.ERROR && !entry.removed) {
        try {
          entry.consumer.accept(error);
        } catch (RuntimeException again) {
          LOG.warn("an error listener threw", again);
        }
      }
    }
  }

  private final class Entry implements Registration {
    final Kind kind;
    /** Only for {@link Kind#STATE}. */
    final String topic;
    final Consumer<Object> consumer;
    volatile boolean removed;

    Entry(Kind kind, String topic, Consumer<Object> consumer) {
      this.kind = kind;
      this.topic = topic;
      this.consumer = consumer;
    }

    void replay(Snapshot current) {
      switch (kind) {
        case STATUS -> call(current.status());
        case STATE -> {
          if (current.states().has(topic)) {
            call(current.states().get(topic));
          }
        }
        case CHANGE -> call(current);
        case DATA, ERROR -> {
          // events, not values: nothing to replay
        }
      }
    }

    void handle(Event event) {
      switch (event) {
        case StatusChanged e -> callFor(Kind.STATUS, e.snapshot().status(), e.snapshot());
        case StateChanged e -> {
          if (kind == Kind.STATE && topic.equals(e.topic())) {
            call(e.snapshot().states().get(topic));
          } else if (kind == Kind.CHANGE) {
            call(e.snapshot());
          }
        }
        case DataReceived e -> callFor(Kind.DATA, e.data(), e.snapshot());
        case Failed e -> {
          if (kind == Kind.ERROR) {
            call(e.error());
          }
        }
      }
    }

    /** Calls a listener of {@code specific} with the value, a change listener with the snapshot. */
    private void callFor(Kind specific, Object value, Snapshot snapshot) {
      if (kind == specific) {
        call(value);
      } else if (kind == Kind.CHANGE) {
        call(snapshot);
      }
    }

    private void call(Object value) {
      if (removed) {
        return;
      }
      try {
        consumer.accept(value);
      } catch (RuntimeException e) {
        reportListenerFailure(this, e);
      }
    }

    @Override
    public void remove() {
      removed = true;
      run(() -> entries.remove(this));
    }
  }
}
