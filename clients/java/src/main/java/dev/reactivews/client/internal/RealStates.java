package dev.reactivews.client.internal;

import dev.reactivews.client.HeldVersion;
import dev.reactivews.client.States;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Immutable: {@link #with} makes a new one. */
final class RealStates implements States {
  private final ObjectMapper mapper;
  /** The payload per topic, as received. */
  private final Map<String, JsonNode> json;
  /** What {@link #get(String)} returns per topic: the bound type's instance, or the JSON; values may be null. */
  private final Map<String, Object> values;
  /** The version per topic whose last state frame had one. */
  private final Map<String, HeldVersion> versions;

  private RealStates(ObjectMapper mapper, Map<String, JsonNode> json, Map<String, Object> values,
      Map<String, HeldVersion> versions) {
    this.mapper = mapper;
    this.json = json;
    this.values = values;
    this.versions = versions;
  }

  static RealStates empty(ObjectMapper mapper) {
    return new RealStates(mapper, Map.of(), Map.of(), Map.of());
  }

  /** These states with the topic's payload and version (null for none) replaced. */
  RealStates with(String topic, JsonNode payload, Object value, HeldVersion version) {
    Map<String, JsonNode> nextJson = new HashMap<>(json);
    nextJson.put(topic, payload);
    Map<String, Object> nextValues = new HashMap<>(values);
    nextValues.put(topic, value);
    Map<String, HeldVersion> nextVersions = versions;
    if (version != null || versions.containsKey(topic)) {
      nextVersions = new HashMap<>(versions);
      if (version == null) {
        nextVersions.remove(topic);
      } else {
        nextVersions.put(topic, version);
      }
      nextVersions = Collections.unmodifiableMap(nextVersions);
    }
    return new RealStates(mapper, Collections.unmodifiableMap(nextJson), Collections.unmodifiableMap(nextValues),
        nextVersions);
  }

  @Override
  public Set<String> topics() {
    return json.keySet();
  }

  @Override
  public boolean has(String topic) {
    return json.containsKey(topic);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> T get(String topic) {
    return (T) values.get(topic);
  }

  @Override
  public <T> T get(String topic, Class<T> type) {
    JsonNode payload = json.get(topic);
    return payload == null ? null : mapper.convertValue(payload, type);
  }

  @Override
  public <T> T get(String topic, TypeReference<T> type) {
    JsonNode payload = json.get(topic);
    return payload == null ? null : mapper.convertValue(payload, type);
  }

  @Override
  public JsonNode json(String topic) {
    return json.get(topic);
  }

  @Override
  public HeldVersion version(String topic) {
    return versions.get(topic);
  }

  @Override
  public String toString() {
    return "States" + json;
  }
}
