package dev.reactivews.client;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;

/**
 * A message from the server that is not a topic state: anything the app sends with {@code
 * peer.send(...)}, and the server's error frames ({@code {"type":"error","code":...,"message":...}}).
 * Immutable.
 */
public interface Data {
  /** Whether it came as a binary frame. */
  boolean isBinary();

  /** The text of a text frame; null for a binary one. */
  @Nullable String text();

  /** The bytes of a binary frame, or the UTF-8 bytes of a text one; a copy. */
  byte[] bytes();

  /** The text parsed as JSON, or null when it is not JSON (or binary). */
  @Nullable JsonNode json();

  /** Whether it is one of the server's error frames: a JSON object with {@code "type":"error"}. */
  boolean isError();

  /**
   * The JSON decoded as {@code type}, null for the JSON {@code null}; {@link
   * IllegalArgumentException} if it is not JSON or does not fit.
   */
  <T> @Nullable T as(Class<T> type);

  /**
   * The JSON decoded as {@code type}, null for the JSON {@code null}; {@link
   * IllegalArgumentException} if it is not JSON or does not fit.
   */
  <T> @Nullable T as(TypeReference<T> type);
}
