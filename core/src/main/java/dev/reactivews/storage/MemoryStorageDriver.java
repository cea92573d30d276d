package dev.reactivews.storage;

import dev.reactivews.state.StateStore;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/** Keeps values in a concurrent map; {@link #update} runs under the key's lock. */
final class MemoryStorageDriver implements StorageDriver {
  private final ConcurrentMap<String, byte[]> values = new ConcurrentHashMap<>();
  private final MemoryStateStore states = new MemoryStateStore();

  @Override
  public byte @Nullable [] get(String key) {
    return values.get(key);
  }

  @Override
  public void set(String key, byte[] value) {
    values.put(key, value);
  }

  @Override
  public boolean has(String key) {
    return values.containsKey(key);
  }

  @Override
  public boolean remove(String key) {
    return values.remove(key) != null;
  }

  @Override
  public List<String> keys(String prefix) {
    return values.keySet().stream().filter(k -> k.startsWith(prefix)).sorted().toList();
  }

  @Override
  public byte @Nullable [] update(String key, UnaryOperator<byte @Nullable []> fn) {
    return values.compute(key, (k, current) -> fn.apply(current));
  }

  @Override
  public StateStore stateStore() {
    return states;
  }
}
