package dev.reactivews;

import dev.reactivews.internal.Json;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One message a peer sent, text or binary. Conversions are lazy: {@link #json()} parses once and
 * keeps the result, so a message passed along is never parsed twice; {@link #text()} of a binary
 * message and {@link #bytes()} of a text message convert on every call.
 */
public final class Message {
  /** Null for a binary message. */
  private final @Nullable String text;
  /** Null for a text message. */
  private final byte @Nullable [] bytes;
  /** Null until {@link #json()} first runs. */
  private volatile @Nullable JsonNode parsed;

  private Message(@Nullable String text, byte @Nullable [] bytes, @Nullable JsonNode parsed) {

    this.text = text;
    this.bytes = bytes;
    this.parsed = parsed;
  }

  /** A text message, parsed on demand with the default limits. */
  public static Message text(String text) {
    return new Message(Objects.requireNonNull(text, "text == null"), null, null);
  }

  /** A text message whose lenient parse is already known (transports parse once, at the door). */
  public static Message text(String text, JsonNode parsed) {
    return new Message(
        Objects.requireNonNull(text, "text == null"), null, Objects.requireNonNull(parsed, "parsed == null"));
  }

  /** A binary message; the array is not copied. */
  public static Message binary(byte[] bytes) {
    return new Message(null, Objects.requireNonNull(bytes, "bytes == null"), null);
  }

  /** True for a binary frame. */
  public boolean isBinary() {
    return bytes != null;
  }

  /** The text; a binary message is decoded as UTF-8. */
  public String text() {
    return text != null ? text : new String(bytes, StandardCharsets.UTF_8);
  }

  /** The bytes; a text message is encoded as UTF-8. Do not modify the array. */
  public byte[] bytes() {
    byte[] binary = bytes;
    return binary != null ? binary : text().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The lenient parse of {@link WsMessages#parse}: the JSON value of a text message, or the
   * original text as a string node when it is not JSON (binary messages are never JSON).
   */
  public JsonNode json() {
    JsonNode result = parsed;
    if (result == null) {
      result = isBinary() ? Json.DEFAULTS.textNode(text()) : Json.DEFAULTS.parseLenient(text()).value();
      parsed = result;
    }
    return result;
  }

  @Override
  public String toString() {
    return isBinary() ? "Message{binary, " + bytes().length + " bytes}" : "Message{" + text + "}";
  }
}
