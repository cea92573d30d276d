package dev.reactivews.internal;

/**
 * A token bucket of {@code perSecond} tokens, refilled continuously. Used by one thread at a
 * time (a connection's I/O thread), so it needs no locking.
 */
final class RateLimiter {
  private final double perNano;
  private final double burst;
  private double tokens;
  private long last;

  /** Keeps no state, so every peer of a server without a limit shares it. */
  private static final RateLimiter UNLIMITED = new RateLimiter(0, 0);

  /** {@code perSecond} of 0 means unlimited. */
  static RateLimiter of(int perSecond, long nowNanos) {
    return perSecond == 0 ? UNLIMITED : new RateLimiter(perSecond, nowNanos);
  }

  private RateLimiter(int perSecond, long nowNanos) {
    this.perNano = perSecond / 1e9;
    this.burst = perSecond;
    this.tokens = perSecond;
    this.last = nowNanos;
  }

  boolean tryAcquire(long nowNanos) {
    if (burst == 0) {
      return true;
    }
    tokens = Math.min(burst, tokens + (nowNanos - last) * perNano);
    last = nowNanos;
    if (tokens < 1) {
      return false;
    }
    tokens -= 1;
    return true;
  }
}
