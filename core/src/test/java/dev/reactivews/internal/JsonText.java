package dev.reactivews.internal;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** JSON written in tests with {@code '} for {@code "}, so that it reads without escapes. */
final class JsonText {
  private static final ObjectMapper MAPPER = Json.mapperBuilder().build();

  private JsonText() {}

  static JsonNode json(String text) {
    return MAPPER.readTree(text.replace('\'', '"'));
  }
}
