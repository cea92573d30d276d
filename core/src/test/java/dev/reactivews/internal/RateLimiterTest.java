package dev.reactivews.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class RateLimiterTest {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  @Test
  void allowsABurstOfOneSecondThenRefuses() {
    RateLimiter limiter = RateLimiter.of(50, 0);
    for (int i = 0; i < 50; i++) {
      assertThat(limiter.tryAcquire(0)).as("message %d", i).isTrue();
    }
    assertThat(limiter.tryAcquire(0)).isFalse();
    assertThat(limiter.tryAcquire(1)).isFalse();
  }

  @Test
  void refillsContinuouslyUpToTheBurst() {
    RateLimiter limiter = RateLimiter.of(10, 0);
    for (int i = 0; i < 10; i++) {
      limiter.tryAcquire(0);
    }
    assertThat(limiter.tryAcquire(SECOND / 20)).as("half a token back").isFalse();
    assertThat(limiter.tryAcquire(SECOND / 10)).as("one token back").isTrue();
    assertThat(limiter.tryAcquire(SECOND / 10)).isFalse();

    long later = 100 * SECOND;
    for (int i = 0; i < 10; i++) {
      assertThat(limiter.tryAcquire(later)).isTrue();
    }
    assertThat(limiter.tryAcquire(later)).as("a long pause refills one burst, not more").isFalse();
  }

  @Test
  void zeroMeansUnlimited() {
    RateLimiter limiter = RateLimiter.of(0, 0);
    for (int i = 0; i < 100_000; i++) {
      assertThat(limiter.tryAcquire(0)).isTrue();
    }
  }
}
