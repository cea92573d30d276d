package dev.reactivews.internal;

import dev.reactivews.state.MapState;
import dev.reactivews.state.StateOp;
import dev.reactivews.state.StateVersion;
import dev.reactivews.state.Versioned;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;

/** A map topic's handle: puts and removes are the store's O(1) {@link StateOp.Put} and {@link StateOp.Remove}. */
final class RealMapState<V> implements MapState<V> {
  private final StateHandle handle;
  private final JavaType valueType;
  private final JavaType mapType;

  RealMapState(StateHandle handle, JavaType value) {
    this.handle = handle;
    this.valueType = value;
    this.mapType = handle.mapOf(value);
  }

  @Override
  public StateVersion put(String key, V value) {
    Objects.requireNonNull(key, "key == null");
    Objects.requireNonNull(value, "value == null");
    return handle.commit(new StateOp.Put(key, handle.encode(value)));
  }

  @Override
  public StateVersion remove(String key) {
    return handle.commit(new StateOp.Remove(Objects.requireNonNull(key, "key == null")));
  }

  @Override
  public Versioned<@Nullable V> update(String key, UnaryOperator<@Nullable V> fn) {
    Objects.requireNonNull(key, "key == null");
    Objects.requireNonNull(fn, "fn == null");
    return handle.updateEntry(key, valueType, fn);
  }

  @Override
  public Versioned<Map<String, V>> read() {
    Versioned<JsonNode> read = handle.read();
    return new Versioned<>(decode(read.value()), read.version());
  }

  @Override
  public Versioned<Map<String, V>> update(UnaryOperator<Map<String, V>> fn) {
    Objects.requireNonNull(fn, "fn == null");
    return handle.update(this::decode, map -> Objects.requireNonNull(fn.apply(map),
        "a map topic's update must return a map, not null"));
  }

  private Map<String, V> decode(JsonNode tree) {
    return Objects.requireNonNull(handle.decode(tree, mapType), "a map topic holds an object");
  }
}
