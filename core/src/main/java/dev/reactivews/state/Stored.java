package dev.reactivews.state;

import java.util.List;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * A state topic as a store holds it, read at one moment: its value at {@code version} ({@link
 * StateVersion#NONE} and the kind's initial value when nothing is stored), and its log, the last
 * changes oldest first, the newest of which made {@code version}. The value is the caller's own
 * copy.
 */
public record Stored(StateVersion version, JsonNode value, List<Change> log) {
  public Stored {
    Objects.requireNonNull(version, "version == null");
    Objects.requireNonNull(value, "value == null");
    log = List.copyOf(log);
  }
}
