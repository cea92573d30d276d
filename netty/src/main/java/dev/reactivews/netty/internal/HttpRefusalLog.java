package dev.reactivews.netty.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the HTTP requests and connections the server refuses, at most one line per kind every
 * ten seconds, each saying how many of that kind were left out since the line before: a client
 * that opens thousands of bad connections costs the log a line every ten seconds, not one each.
 * Callers escape the client's text in a line. One per server, shared by its connections.
 */
final class HttpRefusalLog {
  static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

  private static final Logger LOG = LoggerFactory.getLogger(HttpRefusalLog.class);

  /** By kind of refusal, each limited on its own. */
  private final Map<String, Kind> kinds = new ConcurrentHashMap<>();

  /** Logs the line at INFO, unless a line of the same kind was logged less than ten seconds ago. */
  void log(String kind, String line) {
    String shown = kinds.computeIfAbsent(kind, k -> new Kind()).line(line, System.nanoTime());
    if (shown != null) {
      LOG.info(shown);
    }
  }

  private static final class Kind {
    /** When the next line may be written; meaningless until the first. */
    private long nextLineAt;
    private boolean anyLogged;
    private long leftOut;

    synchronized String line(String line, long now) {
      if (anyLogged && now - nextLineAt < 0) {
        leftOut++;
        return null;
      }
      String shown = leftOut > 0 ? line + " (" + leftOut + " more like it not logged since the last line)" : line;
      anyLogged = true;
      nextLineAt = now + INTERVAL_NANOS;
      leftOut = 0;
      return shown;
    }
  }
}
