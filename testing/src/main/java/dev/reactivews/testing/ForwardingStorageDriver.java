package dev.reactivews.testing;

import dev.reactivews.storage.StorageDriver;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * A storage driver that hands every key-value call to another, for a test to change one part of
 * a real driver's behaviour. It keeps no state topics unless a subclass gives {@link
 * #stateStore()}.
 */
public class ForwardingStorageDriver implements StorageDriver {
  private final StorageDriver delegate;

  public ForwardingStorageDriver(StorageDriver delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate == null");
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
}
