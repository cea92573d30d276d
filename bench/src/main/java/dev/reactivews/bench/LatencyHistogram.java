package dev.reactivews.bench;

/**
 * Latencies in nanoseconds, in log-linear buckets: each power of two is cut into {@value
 * #SUB_BUCKETS} equal buckets, so a percentile is off by at most 1/{@value #SUB_BUCKETS}
 * (about 3%) of its value. Values below {@value #SUB_BUCKETS} ns are exact. Fixed size, no
 * allocation per value; not thread-safe (the load generator records on its one event loop).
 */
final class LatencyHistogram {
  private static final int SUB_BITS = 5;
  static final int SUB_BUCKETS = 1 << SUB_BITS;
  /** Buckets for 0..2^63: one linear range, then SUB_BUCKETS per further power of two. */
  private final long[] counts = new long[(64 - SUB_BITS + 1) * SUB_BUCKETS];
  private long total;
  private long max;
  private long sum;

  /** Records one value; negative values (clock quirks) count as 0. */
  void record(long nanos) {
    long v = Math.max(0, nanos);
    counts[index(v)]++;
    total++;
    sum += v;
    if (v > max) {
      max = v;
    }
  }

  long count() {
    return total;
  }

  long max() {
    return max;
  }

  double mean() {
    return total == 0 ? 0 : (double) sum / total;
  }

  void reset() {
    java.util.Arrays.fill(counts, 0);
    total = 0;
    max = 0;
    sum = 0;
  }

  /** The value at the quantile q (0..1): the upper bound of its bucket, never above the max seen. */
  long percentile(double q) {
    if (total == 0) {
      return 0;
    }
    long rank = (long) Math.ceil(q * total);
    rank = Math.max(1, Math.min(total, rank));
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return Math.min(max, upperBound(i));
      }
    }
    return max;
  }

  static int index(long v) {
    if (v < SUB_BUCKETS) {
      return (int) v;
    }
    int exponent = 63 - Long.numberOfLeadingZeros(v); // >= SUB_BITS
    int shift = exponent - SUB_BITS;
    int sub = (int) (v >>> shift) - SUB_BUCKETS; // 0..SUB_BUCKETS-1
    return (shift + 1) * SUB_BUCKETS + sub;
  }

  /** The largest value that falls in bucket i. */
  static long upperBound(int i) {
    if (i < SUB_BUCKETS) {
      return i;
    }
    int shift = i / SUB_BUCKETS - 1;
    long sub = i % SUB_BUCKETS;
    long lower = (SUB_BUCKETS + sub) << shift;
    return lower + (1L << shift) - 1;
  }
}
