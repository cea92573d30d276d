package dev.reactivews.client.internal;

import dev.reactivews.client.Data;
import java.nio.charset.StandardCharsets;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Immutable. */
final class RealData implements Data {
  private final ObjectMapper mapper;
  /** Null for a binary message. */
  private final String text;
  /** Null for a text message. */
  private final byte[] bytes;
  /** Null unless the text is JSON. */
  private final JsonNode json;

  private RealData(ObjectMapper mapper, String text, byte[] bytes, JsonNode json) {
    this.mapper = mapper;
    this.text = text;
    this.bytes = bytes;
    this.json = json;
  }

  static RealData text(ObjectMapper mapper, String text, JsonNode json) {
    return new RealData(mapper, text, null, json);
  }

  static RealData binary(ObjectMapper mapper, byte[] bytes) {
    return new RealData(mapper, null, bytes, null);
  }

  @Override
  public boolean isBinary() {
    return bytes != null;
  }

  @Override
  public String text() {
    return text;
  }

  @Override
  public byte[] bytes() {
    return bytes != null ? bytes.clone() : text.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public JsonNode json() {
    return json;
  }

  @Override
  public boolean isError() {
    return json != null && json.isObject() && "error".equals(json.path("type").stringValue(null));
  }

  @Override
  public <T> T as(Class<T> type) {
    return mapper.convertValue(requireJson(), type);
  }

  @Override
  public <T> T as(TypeReference<T> type) {
    return mapper.convertValue(requireJson(), type);
  }

  private JsonNode requireJson() {
    if (json == null) {
      throw new IllegalArgumentException(isBinary() ? "a binary message is not JSON" : "the message is not JSON: " + abbreviate(text));
    }
    return json;
  }

  private static String abbreviate(String text) {
    return text.length() <= 100 ? text : text.substring(0, 100) + "…";
  }

  @Override
  public String toString() {
    return isBinary() ? "Data{binary, " + bytes.length + " bytes}" : "Data{" + abbreviate(text) + "}";
  }
}
