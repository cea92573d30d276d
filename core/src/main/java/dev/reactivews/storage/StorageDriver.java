package dev.reactivews.storage;

import dev.reactivews.state.StateStore;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * Where {@link Storage} keeps its bytes: memory, files, Redis. Keys are full keys (namespace
 * included); values are UTF-8 JSON. Implementations are thread-safe and fail with {@link
 * StorageException}, never silently.
 */
public interface StorageDriver extends AutoCloseable {
  /** The value, or null if the key is absent. */
  byte @Nullable [] get(String key);

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
  byte @Nullable [] update(String key, UnaryOperator<byte @Nullable []> fn);

  /**
   * Where this driver keeps state topics: one store per driver. The memory, file-system and
   * Redis drivers have one; a driver that has none throws {@link UnsupportedOperationException}.
   */
  default StateStore stateStore() {
    throw new UnsupportedOperationException(getClass().getName()
        + " keeps no state topics: the memory, file-system and Redis drivers do");
  }

  @Override
  default void close() {}

  /** A driver that keeps everything in this process's memory: the embedded default. */
  static StorageDriver memory() {
    return new MemoryStorageDriver();
  }

  /**
   * A driver that keeps one JSON file per key in the directory (created if missing), for one
   * node that must keep its data across restarts. Any key is allowed: names are encoded so that
   * none leaves the directory ({@code ../x} is stored as {@code %2E%2E%2Fx.json}) and keys that
   * differ only in case never share a file ({@code Chat} is {@code %43hat.json}); a key whose
   * encoded name exceeds 255 bytes, or that holds a lone surrogate, fails with {@link
   * StorageException}. Writes are atomic and durable (temporary file, then rename, then the
   * directory synced); on start the driver removes the temporary files a crash left. {@link
   * #update} is atomic within this process, so do not share the directory between processes or
   * drivers. The directory may be on any {@link java.nio.file.FileSystem}, not only the default.
   * Its {@link #stateStore()} keeps state topics in the folder {@code .states} of the directory.
   */
  static StorageDriver fileSystem(Path directory) {
    return new FileSystemStorageDriver(directory);
  }
}
