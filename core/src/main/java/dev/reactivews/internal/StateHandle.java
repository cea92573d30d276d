package dev.reactivews.internal;

import dev.reactivews.state.Change;
import dev.reactivews.state.StateConflictException;
import dev.reactivews.state.StateOp;
import dev.reactivews.state.StateStore;
import dev.reactivews.state.StateTopic;
import dev.reactivews.state.StateVersion;
import dev.reactivews.state.Stored;
import dev.reactivews.state.Versioned;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One state topic as the typed handles change it: values to and from JSON through the app's
 * mapper, commits to the store, and the read-diff-commit loop of every {@code update(fn)}. An
 * update computes its change once, with {@link JsonDiff}: the smaller of the JSON Patch and the
 * merge patch, or the whole state when neither is smaller; a commit that finds the state changed
 * meanwhile starts again from the store's state, up to {@value #MAX_ATTEMPTS} times.
 */
final class StateHandle {
  /** Races an update may lose in a row before it gives up. */
  static final int MAX_ATTEMPTS = 100;
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Where an update takes the state it changes: this node's replica when it has a current one. */
  @FunctionalInterface
  interface Current {
    Versioned<JsonNode> of(StateTopic declaration, String topic);
  }

  /**
   * The locks that make one node's updates of a topic take turns, so that only other nodes (and
   * this node's appends and puts) can make an update retry: striped, so that a server of many
   * topics holds a fixed number of locks.
   */
  static final class Turns {
    private final ReentrantLock[] locks = new ReentrantLock[64];

    Turns() {
      for (int i = 0; i < locks.length; i++) {
        locks[i] = new ReentrantLock();
      }
    }

    ReentrantLock of(String topic) {
      return locks[Math.floorMod(topic.hashCode(), locks.length)];
    }
  }

  final String topic;
  final StateTopic declaration;
  private final StateStore store;
  private final ObjectMapper mapper;
  private final Turns turns;
  private final Current current;

  StateHandle(String topic, StateTopic declaration, StateStore store, ObjectMapper mapper, Turns turns,
      Current current) {
    this.topic = topic;
    this.declaration = declaration;
    this.store = store;
    this.mapper = mapper;
    this.turns = turns;
    this.current = current;
  }

  StateVersion commit(StateOp op) {
    return store.commit(declaration, topic, op);
  }

  /** The topic's version, without reading its state. */
  StateVersion version() {
    return Objects.requireNonNull(store.versions(List.of(topic)).get(topic), "the store answers every topic");
  }

  Versioned<JsonNode> read() {
    return current.of(declaration, topic);
  }

  byte[] encode(@Nullable Object value) {
    try {
      return mapper.writeValueAsBytes(value);
    } catch (JacksonException e) {
      throw new IllegalArgumentException("topic '" + LogText.escape(topic) + "': cannot write "
          + (value == null ? "null" : value.getClass().getName()) + " as JSON: " + e.getOriginalMessage(), e);
    }
  }

  JsonNode tree(@Nullable Object value) {
    if (value == null) {
      return NODES.nullNode();
    }
    try {
      JsonNode tree = mapper.valueToTree(value);
      return tree == null ? NODES.nullNode() : tree;
    } catch (JacksonException e) {
      throw new IllegalArgumentException("topic '" + LogText.escape(topic) + "': cannot write "
          + value.getClass().getName() + " as JSON: " + e.getOriginalMessage(), e);
    }
  }

  JavaType listOf(JavaType item) {
    return mapper.getTypeFactory().constructCollectionType(List.class, item);
  }

  JavaType mapOf(JavaType value) {
    return mapper.getTypeFactory().constructMapType(Map.class, mapper.constructType(String.class), value);
  }

  <T> @Nullable T decode(JsonNode tree, JavaType type) {
    if (tree.isNull() && !type.isPrimitive()) {
      return null;
    }
    try {
      return mapper.treeToValue(tree, type);
    } catch (JacksonException e) {
      throw new IllegalArgumentException("topic '" + LogText.escape(topic) + "' holds JSON that is not a "
          + type.toCanonical() + ": " + e.getOriginalMessage(), e);
    }
  }

  /**
   * Replaces the whole state by {@code fn} of it, decoded and encoded by the two functions, and
   * returns what {@code fn} returned with the version after it: the same version when {@code fn}
   * returned an equal value.
   */
  <T extends @Nullable Object> Versioned<T> update(Function<JsonNode, T> decode, UnaryOperator<T> fn) {
    return retried(base -> {
      T result = fn.apply(decode.apply(base.value()));
      JsonNode next = tree(result);
      JsonDiff.Diff diff = JsonDiff.between(base.value(), next);
      if (!diff.changed()) {
        return new Versioned<>(result, base.version());
      }
      byte[] whole = encode(next);
      JsonDiff.Encoded smaller = diff.smaller();
      StateOp op = smaller.json().length < whole.length
          ? new StateOp.Replace(base.version(), whole, form(smaller.form()), smaller.json())
          : new StateOp.Replace(base.version(), whole, Change.Form.STATE, whole);
      return new Versioned<>(result, commit(op));
    });
  }

  /**
   * Replaces a map's entry by {@code fn} of it (null: absent; returning null removes it) and
   * returns what {@code fn} returned with the version after it. The commit holds only while the
   * entry is unchanged, so other entries may change meanwhile; a removal holds only while the
   * whole map is unchanged.
   */
  <V> Versioned<@Nullable V> updateEntry(String key, JavaType type, UnaryOperator<@Nullable V> fn) {
    return retried(base -> {
      JsonNode old = base.value().get(key);
      V result = fn.apply(old == null ? null : this.<V>decode(old, type));
      JsonNode entry = result == null ? null : tree(result);
      if (Objects.equals(old, entry)) {
        return new Versioned<>(result, base.version());
      }
      return new Versioned<>(result, commit(entry == null ? removal(base, key) : entryChange(key, old, entry)));
    });
  }

  /** One try of an update, from a base: what it made, or {@link StateConflictException} when another change came first. */
  @FunctionalInterface
  private interface Attempt<R extends @Nullable Object> {
    Versioned<R> from(Versioned<JsonNode> base);
  }

  /**
   * Runs the attempt from the current state, and again from the store's after each conflict, up to
   * {@value #MAX_ATTEMPTS} times; this node's updates of the topic take turns.
   */
  private <R extends @Nullable Object> Versioned<R> retried(Attempt<R> attempt) {
    ReentrantLock turn = turns.of(topic);
    turn.lock();
    try {
      Versioned<JsonNode> base = read();
      for (int attempts = 1; ; attempts++) {
        try {
          return attempt.from(base);
        } catch (StateConflictException e) {
          base = retryOrGiveUp(attempts, e);
        }
      }
    } finally {
      turn.unlock();
    }
  }

  /** The entry set from {@code old} (null: absent) to {@code entry}, with the change of that one member of the map. */
  private StateOp entryChange(String key, @Nullable JsonNode old, JsonNode entry) {
    ObjectNode before = NODES.objectNode();
    if (old != null) {
      before.set(key, old);
    }
    ObjectNode after = NODES.objectNode();
    after.set(key, entry);
    JsonDiff.Encoded change = JsonDiff.between(before, after).smaller();
    return new StateOp.PutEntry(key, old == null ? null : encode(old), encode(entry), form(change.form()),
        change.json());
  }

  /** The map without the key, committed only while the map is still at the base's version. */
  private StateOp removal(Versioned<JsonNode> base, String key) {
    ObjectNode without = NODES.objectNode();
    for (Map.Entry<String, JsonNode> member : base.value().properties()) {
      if (!member.getKey().equals(key)) {
        without.set(member.getKey(), member.getValue());
      }
    }
    byte[] body = encode(NODES.arrayNode(1)
        .add(NODES.objectNode().put("op", "remove").put("path", JsonPatch.pointer("", key))));
    return new StateOp.Replace(base.version(), encode(without), Change.Form.PATCH, body);
  }

  private Versioned<JsonNode> retryOrGiveUp(int attempt, StateConflictException conflict) {
    if (attempt >= MAX_ATTEMPTS) {
      throw new StateConflictException("topic '" + LogText.escape(topic) + "': other changes came first "
          + MAX_ATTEMPTS + " times in a row", conflict.current());
    }
    Stored stored = store.read(declaration, topic);
    return new Versioned<>(stored.value(), stored.version());
  }

  private static Change.Form form(JsonDiff.Form form) {
    return switch (form) {
      case PATCH -> Change.Form.PATCH;
      case MERGE -> Change.Form.MERGE;
    };
  }
}
