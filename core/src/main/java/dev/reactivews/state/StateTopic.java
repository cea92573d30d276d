package dev.reactivews.state;

import dev.reactivews.internal.Json;
import dev.reactivews.internal.TopicPatterns;
import java.util.Locale;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * A topic whose state the framework keeps, versions and sends. Immutable: each setting returns a
 * new declaration.
 *
 * <pre>{@code
 * StateTopic chat = StateTopic.list("chat").maxItems(500);
 * StateTopic rooms = StateTopic.map("room:*");   // every topic whose name starts with "room:"
 * }</pre>
 */
public final class StateTopic {
  /** The number of changes a topic's log keeps unless {@link #logSize(int)} says otherwise. */
  public static final int DEFAULT_LOG_SIZE = 256;

  private static final ObjectMapper MAPPER = Json.mapperBuilder().build();

  private final String topic;
  private final StateKind kind;
  private final int maxItems;
  private final int logSize;
  private final boolean compress;
  /** Never handed out: {@link #initial()} gives a copy, so no caller can change it. */
  private final JsonNode initial;

  private StateTopic(String topic, StateKind kind, int maxItems, int logSize, boolean compress, JsonNode initial) {
    this.topic = topic;
    this.kind = kind;
    this.maxItems = maxItems;
    this.logSize = logSize;
    this.compress = compress;
    this.initial = initial;
  }

  /** A topic that holds a JSON array, {@code []} before any change: an append costs O(1). */
  public static StateTopic list(String topic) {
    return create(topic, StateKind.LIST, JsonNodeFactory.instance.arrayNode());
  }

  /** A topic that holds a JSON object, <code>{}</code> before any change: a put or remove costs O(1). */
  public static StateTopic map(String topic) {
    return create(topic, StateKind.MAP, JsonNodeFactory.instance.objectNode());
  }

  /** A topic that holds any JSON value, JSON {@code null} before any change unless {@link #initial(Object)} says. */
  public static StateTopic value(String topic) {
    return create(topic, StateKind.VALUE, JsonNodeFactory.instance.nullNode());
  }

  private static StateTopic create(String topic, StateKind kind, JsonNode initial) {
    Objects.requireNonNull(topic, "topic == null");
    if (topic.isBlank()) {
      throw new IllegalArgumentException("topic names must not be blank");
    }
    if (topic.indexOf('*') >= 0 && topic.indexOf('*') != topic.length() - 1) {
      throw new IllegalArgumentException("'*' may only end a state topic's name, as a prefix: '" + topic + "'");
    }
    return new StateTopic(topic, kind, 0, DEFAULT_LOG_SIZE, false, initial);
  }

  /**
   * A list that keeps its newest {@code items} entries: an append past them drops the oldest. 0,
   * the default, keeps every entry. Appends keep the cap; a change of the whole list is taken as
   * it is.
   */
  public StateTopic maxItems(int items) {
    if (kind != StateKind.LIST) {
      throw new IllegalArgumentException("maxItems is for a list, and '" + topic + "' is a " + kindName());
    }
    if (items < 0) {
      throw new IllegalArgumentException("maxItems must be >= 0: " + items);
    }
    return new StateTopic(topic, kind, items, logSize, compress, initial);
  }

  /**
   * How many of the last changes the store keeps beside the state, {@value #DEFAULT_LOG_SIZE}
   * unless set: a client that missed no more than these catches up by them instead of the whole
   * state. 0 keeps none.
   */
  public StateTopic logSize(int changes) {
    if (changes < 0) {
      throw new IllegalArgumentException("logSize must be >= 0: " + changes);
    }
    return new StateTopic(topic, kind, maxItems, changes, compress, initial);
  }

  /** Whether the topic's frames go out with permessage-deflate; false unless set. */
  public StateTopic compress(boolean compress) {
    return new StateTopic(topic, kind, maxItems, logSize, compress, initial);
  }

  /**
   * A value topic's state before any change, written as JSON by Jackson's defaults (a {@link
   * JsonNode} is taken as it is); JSON {@code null} unless set.
   */
  public StateTopic initial(Object value) {
    if (kind != StateKind.VALUE) {
      throw new IllegalArgumentException("initial is for a value, and '" + topic + "' is a " + kindName()
          + ", which starts " + initial);
    }
    JsonNode json = value == null ? JsonNodeFactory.instance.nullNode()
        : value instanceof JsonNode node ? node.deepCopy() : MAPPER.valueToTree(value);
    return new StateTopic(topic, kind, maxItems, logSize, compress, json);
  }

  /** The topic's name, or the prefix with its trailing {@code *}. */
  public String topic() {
    return topic;
  }

  public StateKind kind() {
    return kind;
  }

  /** A list's cap on its entries; 0 for none. */
  public int maxItems() {
    return maxItems;
  }

  public int logSize() {
    return logSize;
  }

  public boolean compress() {
    return compress;
  }

  /** The state before any change: {@code []}, <code>{}</code>, or a value's {@link #initial(Object)}; a copy. */
  public JsonNode initial() {
    return initial.deepCopy();
  }

  /** Whether this declaration is the topic's: the same name, or a prefix of it when the name ends in {@code *}. */
  public boolean matches(String topic) {
    Objects.requireNonNull(topic, "topic == null");
    return TopicPatterns.matches(this.topic, topic);
  }

  private String kindName() {
    return kind.name().toLowerCase(Locale.ROOT);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof StateTopic that && topic.equals(that.topic) && kind == that.kind
        && maxItems == that.maxItems && logSize == that.logSize && compress == that.compress
        && initial.equals(that.initial);
  }

  @Override
  public int hashCode() {
    return Objects.hash(topic, kind, maxItems, logSize, compress, initial);
  }

  @Override
  public String toString() {
    return "StateTopic[" + topic + ", " + kindName() + (maxItems > 0 ? ", maxItems " + maxItems : "")
        + ", logSize " + logSize + (compress ? ", compressed" : "")
        + (kind == StateKind.VALUE ? ", initial " + initial : "") + "]";
  }
}
