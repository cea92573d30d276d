package dev.reactivews.client;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When a {@link ReactiveWsClient} connects again after its connection failed or was lost:
 * exponential backoff with jitter. Retry {@code n} (0 for the first) waits {@code min(maxDelay,
 * delay × multiplier^n)}, shortened by a random share of up to {@code jitter} of it, so that
 * many clients of a restarted server do not all come back at once. The count starts again after
 * every successful open. Immutable.
 *
 * <pre>{@code
 * ReconnectPolicy policy = ReconnectPolicy.builder()
 *     .retries(10)
 *     .delay(Duration.ofMillis(500))
 *     .maxDelay(Duration.ofSeconds(30))
 *     .build();
 * }</pre>
 */
public final class ReconnectPolicy {
  /** What {@link #retries()} is when there is no limit. */
  public static final int UNLIMITED = Integer.MAX_VALUE;

  private static final ReconnectPolicy NEVER = builder().retries(0).build();
  private static final ReconnectPolicy DEFAULTS = builder().build();

  private final int retries;
  private final Duration delay;
  private final Duration maxDelay;
  private final double multiplier;
  private final double jitter;

  private ReconnectPolicy(Builder builder) {
    this.retries = builder.retries;
    this.delay = builder.delay;
    this.maxDelay = builder.maxDelay;
    this.multiplier = builder.multiplier;
    this.jitter = builder.jitter;
  }

  /** No reconnecting: a lost connection stays closed until {@link ReactiveWsClient#open()}. The default. */
  public static ReconnectPolicy never() {
    return NEVER;
  }

  /** Retries without limit: 1 s, then doubling up to 30 s, each shortened by up to half at random. */
  public static ReconnectPolicy defaults() {
    return DEFAULTS;
  }

  /** A builder that starts from {@link #defaults()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder that starts from this policy. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** How many attempts may follow a failure or a loss before the client gives up; 0 never reconnects. */
  public int retries() {
    return retries;
  }

  /** The wait before the first retry. */
  public Duration delay() {
    return delay;
  }

  /** The longest wait between two attempts. */
  public Duration maxDelay() {
    return maxDelay;
  }

  /** What each wait is multiplied by for the next retry. */
  public double multiplier() {
    return multiplier;
  }

  /** The largest share (0 to 1) of a delay that is taken off at random. */
  public double jitter() {
    return jitter;
  }

  /** Whether retry {@code retry} (0 for the first after a loss) may be made. */
  public boolean allows(int retry) {
    return retry < retries;
  }

  /** How long to wait before retry {@code retry} (0 for the first), jitter applied. */
  public Duration backoff(int retry) {
    double base = Math.min(maxDelay.toNanos(), delay.toNanos() * Math.pow(multiplier, retry));
    double shortened = base * (1 - jitter * ThreadLocalRandom.current().nextDouble());
    return Duration.ofNanos((long) shortened);
  }

  @Override
  public String toString() {
    return "ReconnectPolicy{retries=" + (retries == UNLIMITED ? "unlimited" : retries)
        + ", delay=" + delay + ", maxDelay=" + maxDelay + ", multiplier=" + multiplier
        + ", jitter=" + jitter + "}";
  }

  /** Builds a {@link ReconnectPolicy}; values are checked by {@link #build()}. */
  public static final class Builder {
    private int retries = UNLIMITED;
    private Duration delay = Duration.ofSeconds(1);
    private Duration maxDelay = Duration.ofSeconds(30);
    private double multiplier = 2;
    private double jitter = 0.5;

    private Builder() {}

    private Builder(ReconnectPolicy policy) {
      this.retries = policy.retries;
      this.delay = policy.delay;
      this.maxDelay = policy.maxDelay;
      this.multiplier = policy.multiplier;
      this.jitter = policy.jitter;
    }

    /** How many attempts may follow a failure or a loss before giving up; {@link #UNLIMITED} by default, 0 for none. */
    public Builder retries(int retries) {
      this.retries = retries;
      return this;
    }

    /** The wait before the first retry; 1 s by default. */
    public Builder delay(Duration delay) {
      this.delay = Objects.requireNonNull(delay, "delay == null");
      return this;
    }

    /** The longest wait between two attempts; 30 s by default. */
    public Builder maxDelay(Duration maxDelay) {
      this.maxDelay = Objects.requireNonNull(maxDelay, "maxDelay == null");
      return this;
    }

    /** What each wait is multiplied by; 2 by default, at least 1. */
    public Builder multiplier(double multiplier) {
      this.multiplier = multiplier;
      return this;
    }

    /** The largest share of each wait taken off at random, from 0 (none) to 1; 0.5 by default. */
    public Builder jitter(double jitter) {
      this.jitter = jitter;
      return this;
    }

    /** The policy; {@link IllegalArgumentException} for a value out of range. */
    public ReconnectPolicy build() {
      if (retries < 0) {
        throw new IllegalArgumentException("retries < 0: " + retries);
      }
      if (delay.isNegative() || maxDelay.isNegative()) {
        throw new IllegalArgumentException("delays must not be negative: " + delay + ", " + maxDelay);
      }
      if (maxDelay.compareTo(delay) < 0) {
        throw new IllegalArgumentException("maxDelay " + maxDelay + " < delay " + delay);
      }
      if (!(multiplier >= 1) || Double.isInfinite(multiplier)) {
        throw new IllegalArgumentException("multiplier must be a number >= 1: " + multiplier);
      }
      if (!(jitter >= 0 && jitter <= 1)) {
        throw new IllegalArgumentException("jitter must be between 0 and 1: " + jitter);
      }
      return new ReconnectPolicy(this);
    }
  }
}
