package dev.reactivews.internal;

import java.time.Duration;
import java.util.Locale;

/** Durations as people write them in properties and environment variables. */
public final class Durations {
  private Durations() {}

  /** ISO-8601 ({@code PT15S}), or a number with {@code ms}, {@code s} or {@code m}; a bare number is seconds. */
  public static Duration parse(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (v.startsWith("p")) {
      return Duration.parse(value.trim());
    }
    if (v.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
    }
    if (v.endsWith("s")) {
      return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
    }
    if (v.endsWith("m")) {
      return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
    }
    return Duration.ofSeconds(Long.parseLong(v));
  }
}
