package dev.reactivews.client.internal;

import dev.reactivews.client.Heartbeat;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * The heartbeat of the open connection: a ping every interval, at a fixed rate, and the check one
 * pong timeout later that anything came back since. It keeps no state: the next beat is the
 * attempt's {@link Attempt#heartbeat}, so a lost connection takes its beats with it.
 */
final class HeartbeatTimer {
  private final Heartbeat heartbeat;
  private final TaskRunner runner;
  private final Lifecycle lifecycle;

  HeartbeatTimer(Heartbeat heartbeat, TaskRunner runner, Lifecycle lifecycle) {
    this.heartbeat = heartbeat;
    this.runner = runner;
    this.lifecycle = lifecycle;
  }

  /** Under the lifecycle's lock, as {@code c} opens: the first ping one interval from now. */
  void start(Attempt c) {
    if (heartbeat.enabled()) {
      c.heartbeat = scheduleBeat(c, runner.nanoTime() + heartbeat.interval().toNanos());
    }
  }

  /** The beat planned for {@code at}; late beats catch up at once, as a fixed rate does. */
  TaskRunner.Scheduled scheduleBeat(Attempt c, long at) {
    return runner.schedule(Duration.ofNanos(Math.max(0, at - runner.nanoTime())), () -> beat(c, at));
  }

  private void beat(Attempt c, long plannedAt) {
    long sentAt = runner.nanoTime();
    if (lifecycle.ping(c, heartbeat.message(), plannedAt + heartbeat.interval().toNanos())) {
      runner.schedule(heartbeat.pongTimeout(), () -> checkAnswer(c, sentAt));
    }
  }

  private void checkAnswer(Attempt c, long pingSentAt) {
    // Reading paused for slow listeners: the silence is ours, not the server's.
    if (c.lastReceived - pingSentAt >= 0 || c.paused) {
      return;
    }
    lifecycle.timedOut(c, new HttpTimeoutException("the server did not answer the heartbeat within " + heartbeat.pongTimeout()));
  }
}
