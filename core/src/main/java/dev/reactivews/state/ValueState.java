package dev.reactivews.state;

import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * A value topic ({@link StateTopic#value}): any JSON value of type {@code T}, null before any
 * change unless the declaration sets an {@link StateTopic#initial(Object) initial} value. Each
 * change returns the version it made. Thread-safe.
 */
public interface ValueState<T> {
  /** Sets the value; null sets JSON {@code null}. An equal value changes nothing and keeps the version. */
  StateVersion set(@Nullable T value);

  /** The value and its version. */
  Versioned<@Nullable T> read();

  /** Replaces the value by {@code fn(current)} atomically; see {@link ListState#update}. */
  Versioned<@Nullable T> update(UnaryOperator<@Nullable T> fn);
}
