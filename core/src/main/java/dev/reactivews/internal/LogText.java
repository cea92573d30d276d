package dev.reactivews.internal;

/**
 * Makes client input safe to put in a log line: a newline or other control character in a
 * topic, a field name or a header would otherwise let a client forge lines of the log, and a
 * long value would let it flood the log.
 */
public final class LogText {
  /** How much of a client's value a log line shows. */
  static final int MAX_CHARS = 200;

  private LogText() {}

  /**
   * The text with control characters, line and paragraph separators and lone surrogates written
   * as {@code \\uXXXX}, cut after {@value #MAX_CHARS} characters with a note of how many were
   * left out; {@code null} for null.
   */
  public static String escape(String text) {
    if (text == null) {
      return "null";
    }
    int shown = Math.min(text.length(), MAX_CHARS);
    StringBuilder out = null;
    for (int i = 0; i < shown; i++) {
      char c = text.charAt(i);
      boolean unsafe = Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || isLoneSurrogate(text, i);
      if (unsafe && out == null) {
        out = new StringBuilder(shown + 16).append(text, 0, i);
      }
      if (out != null) {
        if (unsafe) {
          out.append(String.format("\\u%04x", (int) c));
        } else {
          out.append(c);
        }
      }
    }
    String safe = out != null ? out.toString() : text.substring(0, shown);
    return text.length() > shown ? safe + "…(" + (text.length() - shown) + " more chars)" : safe;
  }

  static boolean isLoneSurrogate(String text, int i) {
    char c = text.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1));
    }
    if (Character.isLowSurrogate(c)) {
      return i == 0 || !Character.isHighSurrogate(text.charAt(i - 1));
    }
    return false;
  }
}
