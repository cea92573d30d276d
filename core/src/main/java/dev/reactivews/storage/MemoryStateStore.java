package dev.reactivews.storage;

import dev.reactivews.internal.Json;
import dev.reactivews.internal.LogText;
import dev.reactivews.state.Change;
import dev.reactivews.state.StateConflictException;
import dev.reactivews.state.StateKind;
import dev.reactivews.state.StateOp;
import dev.reactivews.state.StateStore;
import dev.reactivews.state.StateTopic;
import dev.reactivews.state.StateVersion;
import dev.reactivews.state.Stored;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Keeps each state topic in this process's memory: its tree, its version and a bounded log of
 * its last changes, behind one lock per topic. A commit builds its change, applies it, bumps the
 * version, logs it and delivers it, all under the topic's lock, so changes reach {@link
 * Changes#changed} in commit order. An append, a put and a remove touch the tree's top container
 * only and encode only their own items, so they cost O(1) however large the state; only {@link
 * #read} copies the whole tree. {@link FileSystemStateStore} adds a journal on disk to the same
 * steps.
 */
class MemoryStateStore implements StateStore {
  private static final Logger LOG = LoggerFactory.getLogger(MemoryStateStore.class);
  static final ObjectMapper MAPPER = Json.mapperBuilder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** The topics this store has met; a topic with nothing stored is absent unless a commit left it at version 0. */
  private final ConcurrentMap<String, Topic> topics = new ConcurrentHashMap<>();
  /** Set once, by {@link #start}. */
  private final AtomicReference<@Nullable Changes> changes = new AtomicReference<>();

  /** One topic's state; every field but the name and the kind is read and written under the lock. */
  static class Topic {
    final String name;
    final StateKind kind;
    final ReentrantLock lock = new ReentrantLock();
    JsonNode tree;
    /** 0 until the first change draws one. */
    long epoch;
    long number;
    /** The last changes, oldest first; trimmed to the declaration's log size by each commit. */
    final ArrayDeque<Change> log = new ArrayDeque<>();

    Topic(String name, StateKind kind, JsonNode tree) {
      this.name = name;
      this.kind = kind;
      this.tree = tree;
    }

    StateVersion version() {
      return new StateVersion(epoch, number);
    }
  }

  /**
   * What a commit does to a topic's tree, and its body: a change that {@link #apply applies} the
   * same way on commit and, for the file-system store, on replay.
   */
  sealed interface Effect {
    Change.Form form();

    JsonNode body();

    void apply(Topic topic);
  }

  /** The items appended to a list, then its {@code dropped} oldest entries removed. */
  record Appended(List<JsonNode> items, int dropped) implements Effect {
    @Override
    public Change.Form form() {
      return Change.Form.PATCH;
    }

    @Override
    public JsonNode body() {
      ArrayNode ops = NODES.arrayNode(items.size() + dropped);
      for (JsonNode item : items) {
        ops.add(NODES.objectNode().put("op", "add").put("path", "/-").set("value", item));
      }
      for (int i = 0; i < dropped; i++) {
        ops.add(NODES.objectNode().put("op", "remove").put("path", "/0"));
      }
      return ops;
    }

    @Override
    public void apply(Topic topic) {
      ArrayNode list = (ArrayNode) topic.tree;
      list.addAll(items);
      for (int i = 0; i < dropped; i++) {
        list.remove(0);
      }
    }
  }

  /** A map's key set to the value; {@code body} is the caller's, or null for the store's own {@code add}. */
  record PutKey(String key, JsonNode value, Change.Form form, @Nullable JsonNode body) implements Effect {
    @Override
    public JsonNode body() {
      return body != null ? body : NODES.arrayNode(1)
          .add(NODES.objectNode().put("op", "add").put("path", pointer(key)).set("value", value));
    }

    @Override
    public void apply(Topic topic) {
      ((ObjectNode) topic.tree).set(key, value);
    }
  }

  /** A map's key removed. */
  record RemovedKey(String key) implements Effect {
    @Override
    public Change.Form form() {
      return Change.Form.PATCH;
    }

    @Override
    public JsonNode body() {
      return NODES.arrayNode(1).add(NODES.objectNode().put("op", "remove").put("path", pointer(key)));
    }

    @Override
    public void apply(Topic topic) {
      ((ObjectNode) topic.tree).remove(key);
    }
  }

  /** The whole state replaced; {@code body} is the caller's, or null for a {@link Change.Form#STATE} of the value. */
  record Replaced(JsonNode value, Change.Form form, @Nullable JsonNode body) implements Effect {
    @Override
    public JsonNode body() {
      return body != null ? body : value;
    }

    @Override
    public void apply(Topic topic) {
      topic.tree = value;
    }
  }

  /** The JSON Pointer (RFC 6901) of a map's key: {@code ~} becomes {@code ~0} and {@code /} becomes {@code ~1}. */
  static String pointer(String key) {
    return "/" + key.replace("~", "~0").replace("/", "~1");
  }

  @Override
  public void start(Changes changes) {
    Objects.requireNonNull(changes, "changes == null");
    if (!this.changes.compareAndSet(null, changes)) {
      throw new IllegalStateException("the state store has started already");
    }
  }

  /** Done at once: this store delivers every topic's changes. */
  @Override
  public CompletableFuture<Void> watch(String topic) {
    Objects.requireNonNull(topic, "topic == null");
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void unwatch(String topic) {
    Objects.requireNonNull(topic, "topic == null");
  }

  @Override
  public Stored read(StateTopic declaration, String name) {
    checkDeclares(declaration, name);
    Topic topic = topics.computeIfAbsent(name, this::load);
    if (topic == null) {
      return new Stored(StateVersion.NONE, declaration.initial(), List.of());
    }
    topic.lock.lock();
    try {
      checkKind(topic, declaration);
      List<Change> log = new ArrayList<>(topic.log);
      return new Stored(topic.version(), topic.tree.deepCopy(),
          log.subList(Math.max(0, log.size() - declaration.logSize()), log.size()));
    } finally {
      topic.lock.unlock();
    }
  }

  @Override
  public StateVersion commit(StateTopic declaration, String name, StateOp op) {
    Changes delivery = started();
    checkDeclares(declaration, name);
    Objects.requireNonNull(op, "op == null");
    Planned planned = plan(declaration, name, op);
    Topic topic = topics.computeIfAbsent(name, n -> {
      Topic loaded = load(n);
      return loaded != null ? loaded : create(n, declaration);
    });
    topic.lock.lock();
    try {
      checkKind(topic, declaration);
      Effect effect = planned.effect(topic);
      if (effect == null) {
        return topic.version();
      }
      long epoch = topic.epoch != 0 ? topic.epoch : newEpoch(0);
      StateVersion next = new StateVersion(epoch, topic.number + 1);
      journal(topic, next, effect);
      effect.apply(topic);
      topic.epoch = epoch;
      topic.number = next.number();
      Change change = new Change(name, next, effect.form(), encode(effect.body()));
      topic.log.addLast(change);
      while (topic.log.size() > declaration.logSize()) {
        topic.log.removeFirst();
      }
      committed(topic, declaration);
      deliver(delivery, change);
      return next;
    } finally {
      topic.lock.unlock();
    }
  }

  @Override
  public Map<String, StateVersion> versions(Collection<String> names) {
    Map<String, StateVersion> versions = new LinkedHashMap<>();
    for (String name : names) {
      Topic topic = topics.computeIfAbsent(Objects.requireNonNull(name, "topic == null"), this::load);
      if (topic == null) {
        versions.put(name, StateVersion.NONE);
        continue;
      }
      topic.lock.lock();
      try {
        versions.put(name, topic.version());
      } finally {
        topic.lock.unlock();
      }
    }
    return versions;
  }

  @Override
  public StateVersion rebase(String name, long epoch) {
    Changes delivery = started();
    Topic topic = topics.computeIfAbsent(Objects.requireNonNull(name, "topic == null"), this::load);
    if (topic == null) {
      return StateVersion.NONE;
    }
    topic.lock.lock();
    try {
      if (epoch == 0 || topic.epoch != epoch) {
        return topic.version();
      }
      StateVersion next = new StateVersion(newEpoch(epoch), topic.number);
      rebased(topic, next);
      topic.epoch = next.epoch();
      topic.log.clear();
      LOG.warn("topic {}: its data set gets the new epoch {} at version {} in place of epoch {}",
          LogText.escape(name), next.epoch(), next.number(), epoch);
      deliver(delivery, new Change(name, next, Change.Form.STATE, encode(topic.tree)));
      return next;
    } finally {
      topic.lock.unlock();
    }
  }

  /** The topic as stored outside this process, or null when nothing is; this store keeps nothing outside. */
  @Nullable Topic load(String name) {
    return null;
  }

  /** A topic with nothing stored yet, at version 0 of no epoch. */
  Topic create(String name, StateTopic declaration) {
    return new Topic(name, declaration.kind(), declaration.initial());
  }

  /** Makes the change durable before it is applied, under the topic's lock; throwing refuses the commit. */
  void journal(Topic topic, StateVersion next, Effect effect) {}

  /** After a change was applied and logged, under the topic's lock. */
  void committed(Topic topic, StateTopic declaration) {}

  /** Makes a new epoch durable before it is taken, under the topic's lock; throwing refuses it. */
  void rebased(Topic topic, StateVersion next) {}

  /** The topics this store holds in memory. */
  Collection<Topic> loaded() {
    return topics.values();
  }

  /** Forgets a topic whose state in memory may no longer be what is stored: the next call loads it again. */
  void evict(Topic topic) {
    topics.remove(topic.name, topic);
  }

  private Changes started() {
    Changes started = changes.get();
    if (started == null) {
      throw new IllegalStateException("start the state store before changing states");
    }
    return started;
  }

  private static void deliver(Changes changes, Change change) {
    try {
      changes.changed(change);
    } catch (RuntimeException e) {
      LOG.warn("topic {}: the listener of state changes failed on version {}; the change is committed",
          LogText.escape(change.topic()), change.version().number(), e);
    }
  }

  /** A random positive epoch other than {@code previous}. */
  private static long newEpoch(long previous) {
    long epoch;
    do {
      epoch = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    } while (epoch == previous);
    return epoch;
  }

  private static void checkDeclares(StateTopic declaration, String name) {
    Objects.requireNonNull(declaration, "declaration == null");
    Objects.requireNonNull(name, "topic == null");
    if (!declaration.matches(name)) {
      throw new IllegalArgumentException(declaration + " does not declare the topic '" + LogText.escape(name) + "'");
    }
  }

  private static void checkKind(Topic topic, StateTopic declaration) {
    if (topic.kind != declaration.kind()) {
      throw new IllegalArgumentException("topic '" + LogText.escape(topic.name) + "' is stored as a "
          + kindName(topic.kind) + ", not as the " + kindName(declaration.kind()) + " " + declaration + " declares");
    }
  }

  static String kindName(StateKind kind) {
    return kind.name().toLowerCase(Locale.ROOT);
  }

  /** A change whose JSON is parsed, outside the lock; its effect is decided under it. */
  @FunctionalInterface
  private interface Planned {
    /** The effect on the topic as it is now, or null when the change changes nothing. */
    @Nullable Effect effect(Topic topic);
  }

  private static Planned plan(StateTopic declaration, String name, StateOp op) {
    return switch (op) {
      case StateOp.Append append -> {
        requireKind(declaration, name, op, StateKind.LIST);
        List<JsonNode> items = append.items().stream().map(item -> parse(item, "an appended item")).toList();
        int maxItems = declaration.maxItems();
        yield topic -> new Appended(items,
            maxItems == 0 ? 0 : Math.max(0, topic.tree.size() + items.size() - maxItems));
      }
      case StateOp.Put put -> {
        requireKind(declaration, name, op, StateKind.MAP);
        JsonNode value = parse(put.value(), "a put's value");
        yield topic -> new PutKey(put.key(), value, Change.Form.PATCH, null);
      }
      case StateOp.Remove remove -> {
        requireKind(declaration, name, op, StateKind.MAP);
        yield topic -> topic.tree.has(remove.key()) ? new RemovedKey(remove.key()) : null;
      }
      case StateOp.PutEntry put -> {
        requireKind(declaration, name, op, StateKind.MAP);
        JsonNode expected = put.expected() == null ? null : parse(put.expected(), "an entry's expected value");
        JsonNode value = parse(put.value(), "an entry's value");
        JsonNode body = body(put.form(), put.body());
        yield topic -> {
          if (!Objects.equals(topic.tree.get(put.key()), expected)) {
            throw new StateConflictException("topic '" + LogText.escape(name) + "': the entry '"
                + LogText.escape(put.key()) + "' changed since it was read", topic.version());
          }
          return new PutKey(put.key(), value, put.form(), body);
        };
      }
      case StateOp.Replace replace -> {
        JsonNode whole = parse(replace.whole(), "a replacing state");
        if (!fits(declaration.kind(), whole)) {
          throw new IllegalArgumentException("topic '" + LogText.escape(name) + "' is a " + kindName(declaration.kind())
              + ", which cannot hold " + whole.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        JsonNode body = body(replace.form(), replace.body());
        yield topic -> {
          if (!topic.version().equals(replace.expected())) {
            throw new StateConflictException("topic '" + LogText.escape(name) + "' is at version "
                + topic.number + " of epoch " + topic.epoch + ", not at the " + replace.expected().number()
                + " of epoch " + replace.expected().epoch() + " it was read at", topic.version());
          }
          return new Replaced(whole, replace.form(), body);
        };
      }
      case StateOp.Clear clear -> {
        JsonNode initial = declaration.initial();
        yield topic -> new Replaced(initial, Change.Form.STATE, null);
      }
    };
  }

  private static void requireKind(StateTopic declaration, String name, StateOp op, StateKind kind) {
    if (declaration.kind() != kind) {
      throw new IllegalArgumentException(op.getClass().getSimpleName() + " is for a " + kindName(kind)
          + ", and topic '" + LogText.escape(name) + "' is a " + kindName(declaration.kind()));
    }
  }

  private static boolean fits(StateKind kind, JsonNode value) {
    return switch (kind) {
      case LIST -> value.isArray();
      case MAP -> value.isObject();
      case VALUE -> true;
    };
  }

  private static JsonNode body(Change.Form form, byte[] bytes) {
    JsonNode body = parse(bytes, "a change's body");
    if (form == Change.Form.PATCH && !body.isArray()) {
      throw new IllegalArgumentException("a JSON Patch is an array of operations, not " + body);
    }
    return body;
  }

  /** One JSON value, or {@link IllegalArgumentException}. */
  static JsonNode parse(byte[] json, String what) {
    Objects.requireNonNull(json, what + " == null");
    JsonNode node;
    try {
      node = MAPPER.readTree(json);
    } catch (JacksonException e) {
      throw new IllegalArgumentException(what + " is not one JSON value: " + e.getOriginalMessage(), e);
    }
    if (node == null || node.isMissingNode()) {
      throw new IllegalArgumentException(what + " is empty, not a JSON value");
    }
    return node;
  }

  static byte[] encode(JsonNode node) {
    return MAPPER.writeValueAsBytes(node);
  }
}
