package dev.reactivews.internal;

import dev.reactivews.state.ListState;
import dev.reactivews.state.StateOp;
import dev.reactivews.state.StateVersion;
import dev.reactivews.state.Versioned;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;

/** A list topic's handle: appends are the store's O(1) {@link StateOp.Append}. */
final class RealListState<T> implements ListState<T> {
  private final StateHandle handle;
  private final JavaType listType;

  RealListState(StateHandle handle, JavaType item) {
    this.handle = handle;
    this.listType = handle.listOf(item);
  }

  @Override
  public StateVersion append(T item) {
    Objects.requireNonNull(item, "item == null");
    return handle.commit(new StateOp.Append(List.of(handle.encode(item))));
  }

  @Override
  public StateVersion appendAll(List<? extends T> items) {
    if (items.isEmpty()) {
      return handle.version();
    }
    List<byte[]> encoded = new ArrayList<>(items.size());
    for (T item : items) {
      encoded.add(handle.encode(Objects.requireNonNull(item, "item == null")));
    }
    return handle.commit(new StateOp.Append(encoded));
  }

  @Override
  public StateVersion clear() {
    return handle.commit(new StateOp.Clear());
  }

  @Override
  public Versioned<List<T>> read() {
    Versioned<JsonNode> read = handle.read();
    return new Versioned<>(decode(read.value()), read.version());
  }

  @Override
  public Versioned<List<T>> update(UnaryOperator<List<T>> fn) {
    Objects.requireNonNull(fn, "fn == null");
    return handle.update(this::decode, list -> Objects.requireNonNull(fn.apply(list),
        "a list topic's update must return a list, not null"));
  }

  private List<T> decode(JsonNode tree) {
    return Objects.requireNonNull(handle.decode(tree, listType), "a list topic holds an array");
  }
}
