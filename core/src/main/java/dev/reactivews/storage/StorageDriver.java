package dev.reactivews.storage;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Where {@link Storage} keeps its bytes: memory, files, Redis. Keys are full keys (namespace
 * included); values are UTF-8 JSON. Implementations are thread-safe and fail with {@link
 * StorageException}, never silently.
 */
public interface StorageDriver extends AutoCloseable {
  /** The value, or null if the key is absent. */
  byte[] get(String key);

  void set(String key, byte[] value);

  boolean has(String key);

  /** Removes the key; true if it was there. */
  boolean remove(String key);

  /** Every key that starts with the prefix. */
  List<String> keys(String prefix);

  /**
   * Replaces the value by {@code fn(current)} atomically: no other write to the key happens in
   * between, whatever the number of writers. {@code current} is null when absent; returning
   * null removes the key. The function may run more than once and must not have side effects.
   * Returns the new value.
   */
  byte[] update(String key, UnaryOperator<byte[]> fn);

  @Override
  default void close() {}

  /** A driver that keeps everything in this process's memory: the embedded default. */
  static StorageDriver memory() {
    return new MemoryStorageDriver();
  }
}
