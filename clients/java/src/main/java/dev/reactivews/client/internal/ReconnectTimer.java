package dev.reactivews.client.internal;

import dev.reactivews.client.ReconnectPolicy;
import java.net.URI;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When the next attempt starts after a lost connection: the {@link ReconnectPolicy}'s backoff and
 * jitter, counted since the last open. Not thread-safe: the {@link Lifecycle} calls it under its lock.
 */
final class ReconnectTimer {
  private static final Logger LOG = LoggerFactory.getLogger(ReconnectTimer.class);

  private final ReconnectPolicy policy;
  private final TaskRunner runner;
  private final String client;
  /** Attempts that failed since the last open, or since open() started a new round. */
  private int retries;
  /** The reconnect waiting to start, or null; cleared by {@link #started()} when it starts. */
  private TaskRunner.Scheduled pending;

  ReconnectTimer(ReconnectPolicy policy, TaskRunner runner, String client) {
    this.policy = policy;
    this.runner = runner;
    this.client = client;
  }

  /** Whether the policy allows another attempt after the one that just failed. */
  boolean willRetry() {
    return policy.allows(retries);
  }

  /** Runs {@code retry} after the next backoff delay; only when {@link #willRetry()}. It calls {@link #started()}. */
  void schedule(Runnable retry) {
    Duration delay = policy.backoff(retries++);
    LOG.debug("{}: reconnecting in {} (retry {})", client, delay, retries);
    pending = runner.schedule(delay, retry);
  }

  /** The scheduled retry runs: there is nothing left to call off. */
  void started() {
    pending = null;
  }

  /** The connection is open: the next loss starts counting from 0. */
  void opened() {
    retries = 0;
  }

  /** After the retries ran out: said once per round, where a reconnect policy was wanted at all. */
  void gaveUp(URI url) {
    if (policy.retries() > 0) {
      LOG.warn("{}: gave up reconnecting to {} after {} retries; open() tries again", client, url, retries);
    }
  }

  /** A new round: the count starts again, and a reconnect waiting is called off. */
  void reset() {
    cancel();
    retries = 0;
  }

  void cancel() {
    if (pending != null) {
      pending.cancel();
      pending = null;
    }
  }
}
