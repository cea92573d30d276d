package dev.reactivews.state;

import java.util.Map;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * A map topic ({@link StateTopic#map}): a JSON object of values of type {@code V}. {@link #put}
 * and {@link #remove} cost O(1) however large the map. Each change returns the version it made.
 * Thread-safe.
 */
public interface MapState<V> {
  /** Sets the key to the value. */
  StateVersion put(String key, V value);

  /** Removes the key; one that is not there changes nothing and keeps the version. */
  StateVersion remove(String key);

  /**
   * Replaces the key's value by {@code fn(current)} atomically, {@code current} null when the key
   * is absent; returning null removes the key. Other keys may change meanwhile. An {@code fn} that
   * returns an equal value changes nothing. It may run more than once and must not have side
   * effects; see {@link ListState#update}.
   */
  Versioned<@Nullable V> update(String key, UnaryOperator<@Nullable V> fn);

  /** The map and its version. */
  Versioned<Map<String, V>> read();

  /** Replaces the whole map by {@code fn(current)} atomically; see {@link ListState#update}. */
  Versioned<Map<String, V>> update(UnaryOperator<Map<String, V>> fn);
}
