package dev.reactivews.state;

import tools.jackson.core.type.TypeReference;

/**
 * The server's state topics, as declared by {@link dev.reactivews.WsConfig.Builder#states}: the
 * handles that change and read them, typed through the server's JSON mapper. One instance per
 * server, thread-safe, callable from any thread: {@code peer.states()} in a hook, {@code
 * ctx.states()} in a route, {@code server.states()} anywhere.
 *
 * <pre>{@code
 * peer.states().list("chat", ChatLine.class).append(new ChatLine(peer.id(), text));
 * server.states().value("settings", Settings.class).update(s -> s.withTheme("dark"));
 * }</pre>
 *
 * <p>Every change bumps the topic's {@link StateVersion} by one and reaches every subscriber of
 * the topic on this server as a whole state frame with its version. Each method throws {@link
 * IllegalArgumentException} for a topic no declaration matches, or one declared as another kind.
 */
public interface WsStates {
  /** The list topic, its items of the class. */
  <T> ListState<T> list(String topic, Class<T> item);

  /** The list topic, its items of a generic type ({@code new TypeReference<Line<Id>>() {}}). */
  <T> ListState<T> list(String topic, TypeReference<T> item);

  /** The map topic, its values of the class. */
  <V> MapState<V> map(String topic, Class<V> value);

  /** The map topic, its values of a generic type. */
  <V> MapState<V> map(String topic, TypeReference<V> value);

  /** The value topic, of the class. */
  <T> ValueState<T> value(String topic, Class<T> type);

  /** The value topic, of a generic type. */
  <T> ValueState<T> value(String topic, TypeReference<T> type);

  /** Whether a declaration matches the topic. */
  boolean isStateTopic(String topic);
}
