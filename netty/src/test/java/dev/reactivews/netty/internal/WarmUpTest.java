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
    WarmUp.Result result = run(Duration.ZERO, 2,  System.nanoTime() + TimeUnit.SECONDS.toNanos(30));

    assertThat(result.handshakes()).isEqualTo(WarmUp.HANDSHAKES);
    assertWholeCycles(result);
    // HotSpot's queue is read, and the traffic ended because C2 had nothing left, not at the deadline.
    assertThat(result.jit()).isEqualTo(WarmUp.Jit.IDLE);
  }

  @Test
  void stopsAtItsDeadline() throws Exception {
    WarmUp.Result result = run(Duration.ZERO, 1,  System.nanoTime());

    assertThat(result.handshakes()).isZero();
    assertThat(result.relayed()).isZero();
  }

  @Test
  void worksWithAWriteDelay() throws Exception {
    WarmUp.Result result = run(Duration.ofMillis(1), 1,  System.nanoTime() + TimeUnit.SECONDS.toNanos(30));

    assertWholeCycles(result);
  }

  /** At least the cycles the warm-up always runs, more while the JIT was busy, and every one of them whole. */
  private static void assertWholeCycles(WarmUp.Result result) {
    long cycle = WarmUp.SINGLES + WarmUp.BURST;
    assertThat(result.relayed()).isGreaterThanOrEqualTo(WarmUp.CYCLES * cycle);
    assertThat(result.relayed() % cycle).isZero();
  }
}
