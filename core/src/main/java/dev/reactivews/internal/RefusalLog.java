package dev.reactivews.internal;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Logs what one peer had refused: its first refusal, then at most one line per {@link
 * #INTERVAL_NANOS}, each saying how many refusals were left out since the line before. A peer
 * that sends nothing but refused messages thus costs the log a line every ten seconds, not one
 * per message. Client text in a reason is escaped ({@link LogText}).
 */
final class RefusalLog {
  static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final Logger log;
  private final String peerId;
  private final LongSupplier clock;
  /** When the next line may be written; meaningless until the first. */
  private long nextLineAt;
  private boolean anyLogged;
  /** Refusals not logged since the last line. */
  private long leftOut;

  RefusalLog(Logger log, String peerId, LongSupplier clock) {
    this.log = log;
    this.peerId = peerId;
    this.clock = clock;
  }

  /** Logs the refusal at INFO, unless this peer had a refusal logged less than ten seconds ago. */
  void log(String reason) {
    String line = line(reason);
    if (line != null) {
      log.info(line);
    }
  }

  /** The line to log for this refusal, or null when it is left out. */
  synchronized String line(String reason) {
    long now = clock.getAsLong();
    if (anyLogged && now - nextLineAt < 0) {
      leftOut++;
      return null;
    }
    String line = "peer " + peerId + ": refused: " + LogText.escape(reason)
        + (leftOut > 0 ? " (" + leftOut + " more of this peer not logged since its last line)" : "");
    anyLogged = true;
    nextLineAt = now + INTERVAL_NANOS;
    leftOut = 0;
    return line;
  }
}
