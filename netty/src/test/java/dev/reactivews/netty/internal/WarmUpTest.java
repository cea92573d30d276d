package dev.reactivews.netty.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The warm-up against its private server: every handshake answered, every message relayed back. */
class WarmUpTest {
  private static final HttpLimits LIMITS = new HttpLimits(Duration.ofSeconds(10), Duration.ofSeconds(30), 64 * 1024,
      16L * 1024 * 1024, 10_000, 256, Duration.ofSeconds(30));

  /** One warm-up on loops of its own, which end with it. */
  private static WarmUp.Result run(Duration maxWriteDelay, int ioThreads, long deadline) throws Exception {
    EventLoops loops = EventLoops.create(ioThreads);
    try {
      return WarmUp.run(loops, maxWriteDelay, LIMITS, deadline);
    } finally {
      loops.shutdown();
    }
  }

  @Test
  void answersEveryHandshakeAndRelaysEveryMessageBack() throws Exception {
    // The deadline is far: the test checks the whole warm-up, not how long it takes.
    WarmUp.Result result = run(Duration.ZERO, 2,  System.nanoTime() + TimeUnit.MINUTES.toNanos(2));

    assertThat(result.handshakes()).isEqualTo(WarmUp.HANDSHAKES);
    assertThat(result.relayed()).isEqualTo((long) WarmUp.CYCLES * (WarmUp.SINGLES + WarmUp.BURST));
  }

  @Test
  void stopsAtItsDeadline() throws Exception {
    WarmUp.Result result = run(Duration.ZERO, 1,  System.nanoTime());

    assertThat(result.handshakes()).isZero();
    assertThat(result.relayed()).isZero();
  }

  @Test
  void worksWithAWriteDelay() throws Exception {
    WarmUp.Result result = run(Duration.ofMillis(1), 1,  System.nanoTime() + TimeUnit.MINUTES.toNanos(2));

    assertThat(result.relayed()).isEqualTo((long) WarmUp.CYCLES * (WarmUp.SINGLES + WarmUp.BURST));
  }
}
