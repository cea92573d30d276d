package dev.reactivews.internal;

/**
 * Topic names as declarations use them: a name stands for itself, a name ending in {@code *} for
 * every topic that starts with what comes before the {@code *}.
 */
public final class TopicPatterns {
  private TopicPatterns() {}

  /** Whether the declared name stands for the topic. */
  public static boolean matches(String pattern, String topic) {
    return pattern.endsWith("*") ? topic.startsWith(stem(pattern)) : pattern.equals(topic);
  }

  /** Whether some topic matches both declared names. */
  public static boolean overlap(String a, String b) {
    boolean aPrefix = a.endsWith("*");
    boolean bPrefix = b.endsWith("*");
    if (aPrefix && bPrefix) {
      return stem(a).startsWith(stem(b)) || stem(b).startsWith(stem(a));
    }
    if (aPrefix) {
      return matches(a, b);
    }
    return matches(b, a);
  }

  private static String stem(String pattern) {
    return pattern.substring(0, pattern.length() - 1);
  }
}
