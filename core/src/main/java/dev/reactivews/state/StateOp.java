package dev.reactivews.state;

import java.util.List;
import java.util.Objects;

/**
 * A change to commit to a {@link StateStore}. Values are UTF-8 JSON. {@link Append}, {@link Put},
 * {@link Remove} and {@link Clear} need no read of the state and never conflict: the store builds
 * their bodies itself, from their arguments alone, so they cost O(1) however large the state.
 * {@link Replace} and {@link PutEntry} carry the body their caller computed once, and commit only
 * while the state is still what the caller computed it from.
 */
public sealed interface StateOp {
  /** Appends the items to a list, then drops its oldest entries past {@link StateTopic#maxItems()}. */
  record Append(List<byte[]> items) implements StateOp {
    public Append {
      items = List.copyOf(items);
      if (items.isEmpty()) {
        throw new IllegalArgumentException("an append needs at least one item");
      }
    }
  }

  /** Sets a map's key to the value. */
  record Put(String key, byte[] value) implements StateOp {
    public Put {
      Objects.requireNonNull(key, "key == null");
      Objects.requireNonNull(value, "value == null");
    }
  }

  /** Removes a map's key; a key that is not there changes nothing and bumps no version. */
  record Remove(String key) implements StateOp {
    public Remove {
      Objects.requireNonNull(key, "key == null");
    }
  }

  /**
   * Sets a map's key to the value if the entry is still {@code expected} (null: the key is
   * absent), compared as JSON values; {@code body} in {@code form} is the change to the whole
   * map. Otherwise the commit throws {@link StateConflictException}.
   */
  record PutEntry(String key, byte[] expected, byte[] value, Change.Form form, byte[] body) implements StateOp {
    public PutEntry {
      Objects.requireNonNull(key, "key == null");
      Objects.requireNonNull(value, "value == null");
      Objects.requireNonNull(form, "form == null");
      Objects.requireNonNull(body, "body == null");
    }
  }

  /**
   * Replaces the whole state by {@code whole} if it is still at version {@code expected}; {@code
   * body} in {@code form} is the change from that version. Otherwise the commit throws {@link
   * StateConflictException}.
   */
  record Replace(StateVersion expected, byte[] whole, Change.Form form, byte[] body) implements StateOp {
    public Replace {
      Objects.requireNonNull(expected, "expected == null");
      Objects.requireNonNull(whole, "whole == null");
      Objects.requireNonNull(form, "form == null");
      Objects.requireNonNull(body, "body == null");
    }
  }

  /** Sets the state back to the kind's initial value; a {@link Change.Form#STATE} change. */
  record Clear() implements StateOp {}
}
