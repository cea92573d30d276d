package dev.reactivews.testing;

import dev.reactivews.state.StateStore;
import dev.reactivews.storage.StorageDriver;
import java.util.List;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * A storage driver that hands every call to another: extend it and override what a test changes
 * (its {@link #stateStore()}, say, with a {@link ForwardingStateStore}).
 */
public class ForwardingStorageDriver implements StorageDriver {
  private final StorageDriver delegate;

  public ForwardingStorageDriver(StorageDriver delegate) {
    this.delegate = delegate;
  }

  @Override
  public byte @Nullable [] get(String key) {
    return delegate.get(key);
  }

  @Override
  public void set(String key, byte[] value) {
    delegate.set(key, value);
  }

  @Override
  public boolean has(String key) {
    return delegate.has(key);
  }

  @Override
  public boolean remove(String key) {
    return delegate.remove(key);
  }

  @Override
  public List<String> keys(String prefix) {
    return delegate.keys(prefix);
  }

  @Override
  public byte @Nullable [] update(String key, UnaryOperator<byte @Nullable []> fn) {
    return delegate.update(key, fn);
  }

  @Override
  public StateStore stateStore() {
    return delegate.stateStore();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
