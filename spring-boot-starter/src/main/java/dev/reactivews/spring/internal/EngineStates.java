package dev.reactivews.spring.internal;

import dev.reactivews.state.ListState;
import dev.reactivews.state.MapState;
import dev.reactivews.state.ValueState;
import dev.reactivews.state.WsStates;
import java.util.function.Supplier;
import tools.jackson.core.type.TypeReference;

/**
 * The engine's {@link WsStates}, looked up at the first call: the handler bean the engine is
 * built from may itself take the states, as it may take the publisher.
 */
public final class EngineStates implements WsStates {
  private final Supplier<WsStates> engineStates;

  public EngineStates(Supplier<WsStates> engineStates) {
    this.engineStates = engineStates;
  }

  @Override
  public <T> ListState<T> list(String topic, Class<T> item) {
    return engineStates.get().list(topic, item);
  }

  @Override
  public <T> ListState<T> list(String topic, TypeReference<T> item) {
    return engineStates.get().list(topic, item);
  }

  @Override
  public <V> MapState<V> map(String topic, Class<V> value) {
    return engineStates.get().map(topic, value);
  }

  @Override
  public <V> MapState<V> map(String topic, TypeReference<V> value) {
    return engineStates.get().map(topic, value);
  }

  @Override
  public <T> ValueState<T> value(String topic, Class<T> type) {
    return engineStates.get().value(topic, type);
  }

  @Override
  public <T> ValueState<T> value(String topic, TypeReference<T> type) {
    return engineStates.get().value(topic, type);
  }

  @Override
  public boolean isStateTopic(String topic) {
    return engineStates.get().isStateTopic(topic);
  }
}
