package dev.reactivews.validation;

import tools.jackson.databind.JsonNode;

/**
 * Checks a parsed message and turns it into a typed value. Implement it for any validation
 * library; {@link BeanSchema} covers Jakarta Bean Validation, {@link JsonSchema} JSON Schema.
 */
@FunctionalInterface
public interface Schema<T> {
  /**
   * Validates the lenient parse of a message (a string node when it was not JSON). Returns
   * every issue found, not just the first; never throws for invalid input.
   */
  Validation<T> validate(JsonNode value);
}
