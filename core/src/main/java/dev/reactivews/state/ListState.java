package dev.reactivews.state;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A list topic ({@link StateTopic#list}): a JSON array of items of type {@code T}. {@link
 * #append} and {@link #appendAll} cost O(1) per item however long the list, and keep the
 * declaration's {@link StateTopic#maxItems()} by dropping the oldest items. Each change returns
 * the version it made. Thread-safe.
 */
public interface ListState<T> {
  /** Appends the item. */
  StateVersion append(T item);

  /** Appends the items, in order, as one change; an empty list changes nothing. */
  StateVersion appendAll(List<? extends T> items);

  /** Empties the list. */
  StateVersion clear();

  /** The list and its version. */
  Versioned<List<T>> read();

  /**
   * Replaces the list by {@code fn(current)} atomically: no other change happens in between. An
   * {@code fn} that returns an equal list changes nothing and keeps the version. It may run more
   * than once, when another change came first, so it must not have side effects; after 100 such
   * races in a row it gives up with {@link StateConflictException}. Costs O(size of the list).
   */
  Versioned<List<T>> update(UnaryOperator<List<T>> fn);
}
