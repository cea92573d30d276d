package dev.reactivews.client;

import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;

/**
 * The latest payload of every topic the server sent a state for ({@code {"topic":T,"payload":P}}),
 * immutable: a new one replaces it on every change, so it is safe to read from any thread.
 *
 * <p>A topic bound to a type ({@link ReactiveWsClient.Builder#bind(String, Class)}) holds its
 * payload already decoded; any topic can also be decoded on demand with {@link #get(String,
 * Class)}, or read as JSON with {@link #json(String)}. A state frame that carries a version
 * ({@code "v"}, {@code "epoch"}) also sets the topic's {@link #version(String)}, and a patch frame
 * that follows on from it changes the state and moves the version on ({@link
 * ReactiveWsClient.Builder#deltas(boolean)}).
 */
public interface States {
  /** The topics that have a state, in no particular order. */
  Set<String> topics();

  /** Whether the server sent a state for the topic. */
  boolean has(String topic);

  /**
   * The topic's state: an instance of its bound type, or the {@link JsonNode} when the topic is
   * not bound; null when there is none (or the payload was JSON {@code null} for a bound topic).
   * The caller picks {@code T}; a wrong one fails with {@link ClassCastException} where it is used.
   */
  <T> @Nullable T get(String topic);

  /** The topic's payload decoded as {@code type}, or null when there is none or it is JSON {@code null}; {@link IllegalArgumentException} if it does not fit. */
  <T> @Nullable T get(String topic, Class<T> type);

  /** The topic's payload decoded as {@code type}, or null when there is none or it is JSON {@code null}; {@link IllegalArgumentException} if it does not fit. */
  <T> @Nullable T get(String topic, TypeReference<T> type);

  /**
   * The topic's payload as JSON (a {@code NullNode} for {@code null}), or null when there is none.
   * Read-only: a patched state shares the nodes the patch did not touch with the state before it.
   */
  @Nullable JsonNode json(String topic);

  /**
   * The version of the topic's state, as its last state frame gave it and the patches applied
   * since moved it on; null when that frame had none (nuxt-ws's server and a state sent without
   * one send none) or there is no state.
   */
  @Nullable HeldVersion version(String topic);
}
