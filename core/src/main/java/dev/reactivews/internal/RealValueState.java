package dev.reactivews.internal;

import dev.reactivews.state.StateVersion;
import dev.reactivews.state.ValueState;
import dev.reactivews.state.Versioned;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;

/** A value topic's handle: every change is an update of the whole value. */
final class RealValueState<T> implements ValueState<T> {
  private final StateHandle handle;
  private final JavaType type;

  RealValueState(StateHandle handle, JavaType type) {
    this.handle = handle;
    this.type = type;
  }

  @Override
  public StateVersion set(@Nullable T value) {
    return handle.update(this::decode, current -> value).version();
  }

  @Override
  public Versioned<@Nullable T> read() {
    Versioned<JsonNode> read = handle.read();
    return new Versioned<>(decode(read.value()), read.version());
  }

  @Override
  public Versioned<@Nullable T> update(UnaryOperator<@Nullable T> fn) {
    Objects.requireNonNull(fn, "fn == null");
    return handle.update(this::decode, fn);
  }

  private @Nullable T decode(JsonNode tree) {
    return handle.decode(tree, type);
  }
}
