package dev.reactivews.bench;

import java.time.LocalTime;
import java.time.temporal.ChronoUnit;

/** Human progress, on stderr: stdout carries only the one JSON line of results. */
final class Log {
  private Log() {}

  static void progress(String format, Object... args) {
    System.err.println("[" + LocalTime.now().truncatedTo(ChronoUnit.MILLIS) + "] " + String.format(format, args));
  }
}
