package dev.reactivews.storage;

import dev.reactivews.internal.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.ObjectMapper;

/**
 * A namespaced key-value store with values typed through Jackson: nuxt-ws's {@code
 * useStorage('ws')}.
 *
 * <pre>{@code
 * Storage storage = Storage.create(StorageDriver.memory(), "ws");
 * List<ChatLine> chat = storage.update("chat", new TypeReference<List<ChatLine>>() {},
 *     lines -> append(lines, line));
 * }</pre>
 *
 * <p>{@link #update} is atomic: nuxt-ws's read-modify-write with {@code getItem} and {@code
 * setItem} loses messages when two arrive at once, this does not. Thread-safe; every call fails
 * with {@link StorageException} rather than silently.
 */
public final class Storage {
  private static final ObjectMapper DEFAULT_MAPPER = Json.mapperBuilder().build();

  private final StorageDriver driver;
  private final String prefix;
  private final ObjectMapper mapper;

  private Storage(StorageDriver driver, String namespace, ObjectMapper mapper) {
    this.driver = Objects.requireNonNull(driver, "driver == null");
    this.prefix = Objects.requireNonNull(namespace, "namespace == null").isEmpty() ? "" : namespace + ":";
    this.mapper = Objects.requireNonNull(mapper, "mapper == null");
  }

  /** A storage over the driver whose keys live under {@code namespace:}. */
  public static Storage create(StorageDriver driver, String namespace) {
    return new Storage(driver, namespace, DEFAULT_MAPPER);
  }

  /** As {@link #create(StorageDriver, String)}, typing values with your mapper. */
  public static Storage create(StorageDriver driver, String namespace, ObjectMapper mapper) {
    return new Storage(driver, namespace, mapper);
  }

  /** The value of the key as the type, or null if absent. */
  public <T> @Nullable T getItem(String key, Class<T> type) {
    return read(key, driver.get(fullKey(key)), mapper.constructType(type));
  }

  /** The value of the key as a generic type ({@code new TypeReference<List<Line>>() {}}), or null. */
  public <T> @Nullable T getItem(String key, TypeReference<T> type) {
    return read(key, driver.get(fullKey(key)), mapper.constructType(type));
  }

  /** Stores the value as JSON; a null value removes the key. */
  public void setItem(String key, @Nullable Object value) {
    if (value == null) {
      removeItem(key);
      return;
    }
    driver.set(fullKey(key), write(key, value));
  }

  public boolean hasItem(String key) {
    return driver.has(fullKey(key));
  }

  /** Removes the key; true if it was there. */
  public boolean removeItem(String key) {
    return driver.remove(fullKey(key));
  }

  /** Every key of this namespace, without the namespace, sorted. */
  public List<String> getKeys() {
    return driver.keys(prefix).stream().map(k -> k.substring(prefix.length())).toList();
  }

  /**
   * Replaces the value atomically by {@code fn(current)} ({@code current} is null when absent;
   * a null result removes the key) and returns the new value. The function may run more than
   * once under contention, so keep it free of side effects.
   */
  public <T> @Nullable T update(String key, Class<T> type, UnaryOperator<@Nullable T> fn) {
    return update(key, mapper.constructType(type), fn);
  }

  /** {@link #update(String, Class, UnaryOperator)} for a generic type. */
  public <T> @Nullable T update(String key, TypeReference<T> type, UnaryOperator<@Nullable T> fn) {
    return update(key, mapper.constructType(type), fn);
  }

  private <T> @Nullable T update(String key, JavaType type, UnaryOperator<@Nullable T> fn) {
    Objects.requireNonNull(fn, "fn == null");
    // The last run of fn is the one that was stored: return its value instead of reading it back.
    List<@Nullable T> stored = new ArrayList<>(1);
    driver.update(fullKey(key), current -> {
      T next = fn.apply(read(key, current, type));
      stored.clear();
      stored.add(next);
      return next == null ? null : write(key, next);
    });
    return stored.isEmpty() ? null : stored.get(0);
  }

  private String fullKey(String key) {
    Objects.requireNonNull(key, "key == null");
    return prefix + key;
  }

  private <T> @Nullable T read(String key, byte @Nullable [] bytes, JavaType type) {
    if (bytes == null) {
      return null;
    }
    try {
      return mapper.readValue(bytes, type);
    } catch (JacksonException e) {
      throw new StorageException("Cannot read '" + prefix + key + "' as " + type, e);
    }
  }

  private byte[] write(String key, Object value) {
    try {
      return mapper.writeValueAsBytes(value);
    } catch (JacksonException e) {
      throw new StorageException("Cannot write '" + prefix + key + "' as JSON", e);
    }
  }
}
