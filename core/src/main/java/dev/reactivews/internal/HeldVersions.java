package dev.reactivews.internal;

import dev.reactivews.state.StateVersion;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * What a delta client says it holds of a state topic, as it says it: {@code epoch} and {@code v}
 * members of a subscribe or resync frame, or {@code rws.since=<epoch>.<v>.<topic>} entries on the
 * handshake URL for the default and internal topics, which no subscribe names. An epoch is a
 * string of decimal digits ({@code "0"} for none), a version a whole number of 0 or more.
 */
final class HeldVersions {
  /** The handshake's query parameter, repeated, one entry per default or internal topic held. */
  static final String SINCE_PARAMETER = "rws.since";

  private HeldVersions() {}

  /** A frame's version members: the version held, null for none, or why they make no version. */
  record Held(@Nullable StateVersion version, @Nullable String problem) {
    private static final Held NONE = new Held(null, null);

    private static Held refused(String problem) {
      return new Held(null, problem);
    }
  }

  /** The {@code epoch} and {@code v} of a subscribe or resync frame: both or neither. */
  static Held ofFrame(JsonNode frame) {
    JsonNode epoch = frame.get("epoch");
    JsonNode number = frame.get("v");
    if (epoch == null && number == null) {
      return Held.NONE;
    }
    if (epoch == null || number == null) {
      return Held.refused("'epoch' and 'v' go together: send both, or neither to hold nothing");
    }
    if (!epoch.isString() || parseDigits(epoch.stringValue()) < 0) {
      return Held.refused("'epoch' must be a string of decimal digits, as the server sent it");
    }
    if (!number.isIntegralNumber() || !number.canConvertToLong() || number.longValue() < 0) {
      return Held.refused("'v' must be a whole number of 0 or more");
    }
    return new Held(new StateVersion(parseDigits(epoch.stringValue()), number.longValue()), null);
  }

  /**
   * The {@code rws.since} entries, split at their first two dots so that a topic may hold dots;
   * the first entry of a topic counts. Each malformed one goes to {@code refused} with why.
   */
  static Map<String, StateVersion> ofSince(@Nullable List<String> entries, Consumer<String> refused) {
    Map<String, StateVersion> held = new LinkedHashMap<>();
    if (entries == null) {
      return held;
    }
    for (String entry : entries) {
      int firstDot = entry.indexOf('.');
      int secondDot = firstDot < 0 ? -1 : entry.indexOf('.', firstDot + 1);
      long epoch = secondDot < 0 ? -1 : parseDigits(entry.substring(0, firstDot));
      long number = secondDot < 0 ? -1 : parseDigits(entry.substring(firstDot + 1, secondDot));
      String topic = secondDot < 0 ? "" : entry.substring(secondDot + 1);
      if (epoch < 0 || number < 0 || !TopicNames.isValid(topic)) {
        refused.accept("'" + SINCE_PARAMETER + "=" + entry + "' is not <epoch>.<v>.<topic>: two strings of "
            + "decimal digits and a topic name; that topic gets its whole state");
        continue;
      }
      held.putIfAbsent(topic, new StateVersion(epoch, number));
    }
    return held;
  }

  /** Decimal digits as a long, or -1 when they are none, or more than a long holds. */
  private static long parseDigits(String digits) {
    if (digits.isEmpty() || digits.length() > 19 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return -1;
    }
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException overflow) {
      return -1;
    }
  }
}
