package dev.reactivews;

import dev.reactivews.internal.Json;
import dev.reactivews.validation.Schema;
import dev.reactivews.validation.Validation;
import dev.reactivews.validation.ValidationException;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * The nuxt-ws module's message utilities: {@code wsParseMessage}, {@code wsValidateMessage} and {@code
 * wsSafeValidateMessage}.
 */
public final class WsMessages {
  private WsMessages() {}

  /**
   * Lenient parse: JSON text becomes its value; anything else, JSON deeper or longer than the
   * default limits of {@link WsConfig}, and JSON with a number over 1,000 characters, a field
   * name over 1,024 or a number beyond the range of a double, comes back as a string node holding
   * the original text. Never throws.
   */
  public static JsonNode parse(String text) {
    return Json.DEFAULTS.parseLenient(Objects.requireNonNull(text, "text == null")).value();
  }

  /** The lenient parse of a message, as {@link Message#json()}. */
  public static JsonNode parse(Message message) {
    return message.json();
  }

  /** Parses then validates; throws {@link ValidationException} carrying every issue. */
  public static <T> T validate(Schema<T> schema, Message message) {
    return safeValidate(schema, message).orThrow();
  }

  /** Parses then validates a text; throws {@link ValidationException} carrying every issue. */
  public static <T> T validate(Schema<T> schema, String text) {
    return schema.validate(parse(text)).orThrow();
  }

  /** Parses then validates; returns the value or every issue, never throws for bad input. */
  public static <T> Validation<T> safeValidate(Schema<T> schema, Message message) {
    return schema.validate(message.json());
  }

  /** Parses then validates a text; returns the value or every issue. */
  public static <T> Validation<T> safeValidate(Schema<T> schema, String text) {
    return schema.validate(parse(text));
  }
}
