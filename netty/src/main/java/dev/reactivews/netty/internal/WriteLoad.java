package dev.reactivews.netty.internal;

import java.util.concurrent.TimeUnit;

/**
 * How fast one event loop has been writing frames lately. Its connections hold a write back
 * for more frames to join it only while it is busy, that is while it writes more than one frame
 * every {@value #BUSY_NANOS_PER_FRAME} ns: past that rate, a write per frame (some 5 to 7 µs of
 * kernel time at both ends of a loopback connection) would cost a loop a sizeable share of
 * its time.
 */
final class WriteLoad {
  static final long BUSY_NANOS_PER_FRAME = 20_000;
  /** How long the loop is watched before it counts as busy or not. */
  private static final long WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  /** When the current window started; the event loop's alone, as is the frame count. */
  private long windowStart = System.nanoTime();

  private long framesInWindow;
  private volatile boolean busy;

  /** The loop wrote these frames at {@code now}; on the event loop. */
  void wrote(int frames, long now) {
    framesInWindow += frames;
    long elapsed = now - windowStart;
    if (elapsed >= WINDOW_NANOS) {
      busy = framesInWindow * BUSY_NANOS_PER_FRAME > elapsed;
      framesInWindow = 0;
      windowStart = now;
    }
  }

  /** Whether the loop was busy over the last window; from any thread. */
  boolean busy() {
    return busy;
  }
}
