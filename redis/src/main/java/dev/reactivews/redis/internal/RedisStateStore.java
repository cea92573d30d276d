package dev.reactivews.redis.internal;

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
import dev.reactivews.storage.StorageException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * State topics in Redis, three keys per topic: {@code PREFIX:state:meta:{T}} (a hash of the
 * epoch {@code e}, the version {@code v} and the kind {@code k}), {@code PREFIX:state:value:{T}}
 * (the JSON of a value, a list with one element's JSON per entry, or a hash whose fields are a
 * map's keys as JSON strings) and {@code PREFIX:state:log:{T}} (the last changes, {@code
 * "<v>:<form>:<body>"}). One Lua script ({@code state_commit.lua}) makes each commit: value,
 * version, log and the PUBLISH of the change on {@code PREFIX:state:T}, so that every node
 * receives a topic's changes in version order. An append, a put and a remove build their patch in
 * Lua from their own JSON and touch the list's tail or one field: O(1) however large the state.
 *
 * <p>Calls run on the command connection, so they fail at once with {@link StorageException}
 * while Redis is down, as the storage driver's do. Changes arrive on the pub/sub connection for
 * the {@link #watch watched} topics only; when that connection comes back after a loss, {@link
 * Changes#mayHaveMissed()} says that some may have been missed.
 */
public final class RedisStateStore implements StateStore {
  private static final Logger LOG = LoggerFactory.getLogger(RedisStateStore.class);
  private static final ObjectMapper MAPPER = Json.mapperBuilder()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
  /** Meta keys per call of {@code state_versions.lua}, so that one call never holds Redis for long. */
  private static final int VERSIONS_PER_CALL = 500;
  /** Retries of a {@link StateOp.PutEntry} whose entry is the expected JSON in other bytes. */
  private static final int ENTRY_RETRIES = 3;
  private static final byte[] EMPTY = {};

  private static final Script COMMIT = Script.load("state_commit.lua");
  private static final Script READ = Script.load("state_read.lua");
  private static final Script VERSIONS = Script.load("state_versions.lua");
  private static final Script REBASE = Script.load("state_rebase.lua");

  private final RedisConnections connections;
  private final RedisCommands<String, byte[]> redis;
  private final String channelPrefix;
  /** Set once, by {@link #start}. */
  private final AtomicReference<@Nullable Changes> changes = new AtomicReference<>();
  /** Orders SUBSCRIBE and UNSUBSCRIBE on the wire as the calls came. */
  private final Object interestLock = new Object();
  private volatile boolean closed;

  /** A script as a resource beside this class, with its SHA-1 for EVALSHA. */
  private record Script(String name, byte[] text, String sha1) {
    static Script load(String name) {
      try (InputStream in = RedisStateStore.class.getResourceAsStream("/dev/reactivews/redis/" + name)) {
        if (in == null) {
          throw new IllegalStateException("the resource dev/reactivews/redis/" + name + " is missing");
        }
        byte[] text = in.readAllBytes();
        return new Script(name, text, new String(RedisStorageDriver.sha1Hex(text), StandardCharsets.US_ASCII));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  public RedisStateStore(RedisConnections connections) {
    this.connections = connections;
    this.redis = connections.commands.sync();
    this.channelPrefix = connections.key("state:");
  }

  @Override
  public void start(Changes changes) {
    Objects.requireNonNull(changes, "changes == null");
    if (!this.changes.compareAndSet(null, changes)) {
      throw new IllegalStateException("the state store has started already");
    }
    connections.onChannelsUnder(channelPrefix, this::received);
    connections.onPubSubResubscribed(() -> {
      if (!closed) {
        changes.mayHaveMissed();
      }
    });
  }

  /** Completes once Redis confirmed the subscription to the topic's channel; while Redis is down, once it is back. */
  @Override
  public CompletableFuture<Void> watch(String topic) {
    Objects.requireNonNull(topic, "topic == null");
    synchronized (interestLock) {
      return connections.pubSub.async().subscribe(channelPrefix + topic).toCompletableFuture()
          .handle((ignored, error) -> {
            if (error != null) {
              throw new StorageException("Redis state store at " + connections.address()
                  + " could not watch '" + LogText.escape(topic) + "': " + LogText.escape(error.toString()), error);
            }
            return null;
          });
    }
  }

  @Override
  public void unwatch(String topic) {
    Objects.requireNonNull(topic, "topic == null");
    synchronized (interestLock) {
      connections.pubSub.async().unsubscribe(channelPrefix + topic).exceptionally(e -> {
        LOG.debug("could not stop watching state topic {}: {}", LogText.escape(topic), LogText.escape(e.toString()));
        return null;
      });
    }
  }

  @Override
  public Stored read(StateTopic declaration, String topic) {
    checkDeclares(declaration, topic);
    List<Object> reply = run(READ, "read", topic, keys(topic), ascii(declaration.logSize()));
    if (reply.get(0) == null) {
      return new Stored(StateVersion.NONE, declaration.initial(), List.of());
    }
    StateKind kind = kindOf(reply.get(2));
    if (kind != declaration.kind()) {
      throw new IllegalArgumentException("topic '" + LogText.escape(topic) + "' is stored as a " + name(kind)
          + ", not as the " + name(declaration.kind()) + " " + declaration + " declares");
    }
    StateVersion version = new StateVersion(number(reply.get(0)), number(reply.get(1)));
    List<Change> log = new ArrayList<>();
    for (Object entry : list(reply.get(4))) {
      log.add(logEntry(topic, version.epoch(), (byte[]) entry));
    }
    return new Stored(version, value(kind, list(reply.get(3)), declaration), log);
  }

  /** The stored parts joined into one JSON text, parsed once. */
  private static JsonNode value(StateKind kind, List<Object> parts, StateTopic declaration) {
    ByteArrayOutputStream json = new ByteArrayOutputStream();
    switch (kind) {
      case VALUE -> {
        if (parts.isEmpty() || parts.get(0) == null) {
          return declaration.initial();
        }
        json.writeBytes((byte[]) parts.get(0));
      }
      case LIST -> {
        json.write('[');
        for (int i = 0; i < parts.size(); i++) {
          json.writeBytes(i == 0 ? EMPTY : new byte[] {','});
          json.writeBytes((byte[]) parts.get(i));
        }
        json.write(']');
      }
      case MAP -> {
        json.write('{');
        for (int i = 0; i + 1 < parts.size(); i += 2) {
          json.writeBytes(i == 0 ? EMPTY : new byte[] {','});
          json.writeBytes((byte[]) parts.get(i));
          json.write(':');
          json.writeBytes((byte[]) parts.get(i + 1));
        }
        json.write('}');
      }
    }
    return MAPPER.readTree(json.toByteArray());
  }

  @Override
  public StateVersion commit(StateTopic declaration, String topic, StateOp op) {
    started();
    checkDeclares(declaration, topic);
    Objects.requireNonNull(op, "op == null");
    List<byte[]> args = new ArrayList<>();
    args.add(KeyCodec.encode(channelPrefix + topic));
    args.add(ascii(newEpoch(0)));
    args.add(ascii(name(declaration.kind())));
    args.add(ascii(declaration.logSize()));
    int expectedEntry = -1;
    switch (op) {
      case StateOp.Append append -> {
        requireKind(declaration, topic, op, StateKind.LIST);
        add(args, "append", ascii(declaration.maxItems()));
        append.items().forEach(item -> args.add(compact(item, "an appended item")));
      }
      case StateOp.Put put -> {
        requireKind(declaration, topic, op, StateKind.MAP);
        add(args, "put", field(put.key()), path(put.key()), compact(put.value(), "a put's value"));
      }
      case StateOp.Remove remove -> {
        requireKind(declaration, topic, op, StateKind.MAP);
        add(args, "remove", field(remove.key()), path(remove.key()));
      }
      case StateOp.PutEntry put -> {
        requireKind(declaration, topic, op, StateKind.MAP);
        byte[] expected = put.expected();
        add(args, "putEntry", field(put.key()), ascii(expected == null ? 0 : 1));
        expectedEntry = args.size();
        args.addAll(List.of(expected == null ? EMPTY : compact(expected, "an entry's expected value"),
            compact(put.value(), "an entry's value"), form(put.form()), body(put.form(), put.body())));
      }
      case StateOp.Replace replace -> {
        JsonNode whole = parse(replace.whole(), "a replacing state");
        if (!fits(declaration.kind(), whole)) {
          throw new IllegalArgumentException("topic '" + LogText.escape(topic) + "' is a " + name(declaration.kind())
              + ", which cannot hold " + whole.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        add(args, "replace", ascii(replace.expected().epoch()), ascii(replace.expected().number()),
            form(replace.form()), body(replace.form(), replace.body()));
        parts(declaration.kind(), whole, args);
      }
      case StateOp.Clear clear -> add(args, "clear",
          declaration.kind() == StateKind.VALUE ? MAPPER.writeValueAsBytes(declaration.initial()) : EMPTY);
    }
    for (int attempt = 0; ; attempt++) {
      List<Object> reply = run(COMMIT, "commit to", topic, keys(topic), args.toArray(byte[][]::new));
      String outcome = text(reply.get(0));
      switch (outcome) {
        case "ok", "unchanged" -> {
          return new StateVersion(number(reply.get(1)), number(reply.get(2)));
        }
        case "kind" -> throw new IllegalArgumentException("topic '" + LogText.escape(topic) + "' is stored as a "
            + name(kindOf(reply.get(1))) + ", not as the " + name(declaration.kind()) + " " + declaration + " declares");
        case "conflict" -> {
          StateVersion current = new StateVersion(number(reply.get(1)), number(reply.get(2)));
          byte[] entry = (byte[]) reply.get(3);
          if (expectedEntry >= 0 && entry != null && attempt < ENTRY_RETRIES
              && args.get(expectedEntry - 1)[0] == '1' && sameJson(entry, args.get(expectedEntry))) {
            // The entry is the JSON the caller expects, written otherwise: expect its very bytes.
            args.set(expectedEntry, entry);
            continue;
          }
          throw conflict(topic, op, current);
        }
        default -> throw new IllegalStateException("state_commit.lua answered " + outcome);
      }
    }
  }

  private static StateConflictException conflict(String topic, StateOp op, StateVersion current) {
    String what = op instanceof StateOp.PutEntry put
        ? "the entry '" + LogText.escape(put.key()) + "' changed since it was read"
        : "it is at version " + current.number() + " of epoch " + current.epoch() + ", not at the one it was read at";
    return new StateConflictException("topic '" + LogText.escape(topic) + "': " + what, current);
  }

  /** A whole replacing state as the script stores it: the JSON, one part per element, or field and value per entry. */
  private static void parts(StateKind kind, JsonNode whole, List<byte[]> args) {
    switch (kind) {
      case VALUE -> args.add(MAPPER.writeValueAsBytes(whole));
      case LIST -> whole.values().forEach(element -> args.add(MAPPER.writeValueAsBytes(element)));
      case MAP -> whole.properties().forEach(entry -> {
        args.add(field(entry.getKey()));
        args.add(MAPPER.writeValueAsBytes(entry.getValue()));
      });
    }
  }

  @Override
  public Map<String, StateVersion> versions(Collection<String> topics) {
    List<String> names = List.copyOf(topics);
    Map<String, StateVersion> versions = new LinkedHashMap<>();
    for (int from = 0; from < names.size(); from += VERSIONS_PER_CALL) {
      List<String> chunk = names.subList(from, Math.min(names.size(), from + VERSIONS_PER_CALL));
      String[] metas = chunk.stream().map(this::metaKey).toArray(String[]::new);
      List<Object> reply = run(VERSIONS, "read the versions of", chunk.get(0), metas);
      for (int i = 0; i < chunk.size(); i++) {
        Object epoch = reply.get(2 * i);
        versions.put(chunk.get(i), epoch == null ? StateVersion.NONE
            : new StateVersion(number(epoch), number(reply.get(2 * i + 1))));
      }
    }
    return versions;
  }

  @Override
  public StateVersion rebase(String topic, long epoch) {
    started();
    Objects.requireNonNull(topic, "topic == null");
    long drawn = newEpoch(epoch);
    List<Object> reply = run(REBASE, "rebase", topic, keys(topic),
        KeyCodec.encode(channelPrefix + topic), ascii(epoch), ascii(drawn));
    StateVersion version = new StateVersion(number(reply.get(0)), number(reply.get(1)));
    if (version.epoch() == drawn) {
      LOG.warn("topic {}: its data set gets the new epoch {} at version {} in place of epoch {}",
          LogText.escape(topic), drawn, version.number(), epoch);
    }
    return version;
  }

  /** Stops delivering changes; the connections are {@link RedisConnections#close() closed} by their owner. */
  @Override
  public void close() {
    closed = true;
  }

  /** On Lettuce's I/O thread, in the order Redis published: {@code "<epoch>:<v>:<form>:<body>"}. */
  private void received(String channel, byte[] message) {
    Changes delivery = changes.get();
    if (closed || delivery == null) {
      return;
    }
    String topic = channel.substring(channelPrefix.length());
    int epochEnd = indexOf(message, 0);
    int numberEnd = indexOf(message, epochEnd + 1);
    Change change;
    try {
      if (numberEnd < 0 || numberEnd + 2 >= message.length || message[numberEnd + 2] != ':') {
        throw new IllegalArgumentException("not <epoch>:<v>:<form>:<body>");
      }
      long epoch = Long.parseLong(new String(message, 0, epochEnd, StandardCharsets.US_ASCII));
      long number = Long.parseLong(new String(message, epochEnd + 1, numberEnd - epochEnd - 1, StandardCharsets.US_ASCII));
      change = new Change(topic, new StateVersion(epoch, number), formOf(message[numberEnd + 1]),
          Arrays.copyOfRange(message, numberEnd + 3, message.length));
    } catch (IllegalArgumentException e) {
      LOG.warn("dropped a message on {} that no reactive-ws node sent ({} bytes): {}", LogText.escape(channel),
          message.length, LogText.escape(e.getMessage()));
      return;
    }
    try {
      delivery.changed(change);
    } catch (RuntimeException e) {
      LOG.warn("topic {}: the listener of state changes failed on version {}", LogText.escape(topic),
          change.version().number(), e);
    }
  }

  /** A log entry, {@code "<v>:<form>:<body>"}, of the topic's current epoch. */
  private static Change logEntry(String topic, long epoch, byte[] entry) {
    int numberEnd = indexOf(entry, 0);
    long number = Long.parseLong(new String(entry, 0, numberEnd, StandardCharsets.US_ASCII));
    return new Change(topic, new StateVersion(epoch, number), formOf(entry[numberEnd + 1]),
        Arrays.copyOfRange(entry, numberEnd + 3, entry.length));
  }

  private static int indexOf(byte[] bytes, int from) {
    for (int i = Math.max(from, 0); i < bytes.length; i++) {
      if (bytes[i] == ':') {
        return i;
      }
    }
    return -1;
  }

  private static Change.Form formOf(byte form) {
    return switch (form) {
      case 'p' -> Change.Form.PATCH;
      case 'm' -> Change.Form.MERGE;
      case 's' -> Change.Form.STATE;
      default -> throw new IllegalArgumentException("no change has the form '" + (char) form + "'");
    };
  }

  private static byte[] form(Change.Form form) {
    return switch (form) {
      case PATCH -> ascii("p");
      case MERGE -> ascii("m");
      case STATE -> ascii("s");
    };
  }

  @SuppressWarnings("unchecked")
  private List<Object> run(Script script, String what, String topic, String[] keys, byte[]... args) {
    try {
      try {
        return (List<Object>) redis.evalsha(script.sha1(), ScriptOutputType.MULTI, keys, args);
      } catch (RedisNoScriptException e) {
        return (List<Object>) redis.eval(script.text(), ScriptOutputType.MULTI, keys, args);
      }
    } catch (RedisException e) {
      throw new StorageException("Redis state store at " + connections.address() + " could not " + what + " '"
          + LogText.escape(topic) + "': " + LogText.escape(String.valueOf(e.getMessage())), e);
    }
  }

  private String[] keys(String topic) {
    return new String[] {metaKey(topic), connections.key("state:value:{" + topic + "}"),
        connections.key("state:log:{" + topic + "}")};
  }

  private String metaKey(String topic) {
    return connections.key("state:meta:{" + topic + "}");
  }

  private void started() {
    if (changes.get() == null) {
      throw new IllegalStateException("start the state store before changing states");
    }
  }

  private static void add(List<byte[]> args, String op, byte[]... values) {
    args.add(ascii(op));
    args.addAll(Arrays.asList(values));
  }

  /** A map's key as the hash field that holds it: the key as a JSON string, so a read joins fields and values into an object. */
  private static byte[] field(String key) {
    return MAPPER.writeValueAsBytes(key);
  }

  /** A map's key as a JSON Pointer (RFC 6901: {@code ~} is {@code ~0}, {@code /} is {@code ~1}), as a JSON string. */
  private static byte[] path(String key) {
    return MAPPER.writeValueAsBytes("/" + key.replace("~", "~0").replace("/", "~1"));
  }

  private static byte[] body(Change.Form form, byte[] body) {
    JsonNode node = parse(body, "a change's body");
    if (form == Change.Form.PATCH && !node.isArray()) {
      throw new IllegalArgumentException("a JSON Patch is an array of operations, not " + node);
    }
    return MAPPER.writeValueAsBytes(node);
  }

  /** One JSON value, written compactly, as every node reads it back. */
  private static byte[] compact(byte[] json, String what) {
    return MAPPER.writeValueAsBytes(parse(json, what));
  }

  /** One JSON value, or {@link IllegalArgumentException} saying what it was meant to be. */
  private static JsonNode parse(byte[] json, String what) {
    try {
      JsonNode node = MAPPER.readTree(Objects.requireNonNull(json, what + " == null"));
      if (node != null && !node.isMissingNode()) {
        return node;
      }
    } catch (JacksonException e) {
      throw new IllegalArgumentException(what + " is not one JSON value: " + e.getOriginalMessage(), e);
    }
    throw new IllegalArgumentException(what + " is empty, not a JSON value");
  }

  private static boolean sameJson(byte[] a, byte[] b) {
    return MAPPER.readTree(a).equals(MAPPER.readTree(b));
  }

  private static boolean fits(StateKind kind, JsonNode value) {
    return switch (kind) {
      case LIST -> value.isArray();
      case MAP -> value.isObject();
      case VALUE -> true;
    };
  }

  private static void checkDeclares(StateTopic declaration, String topic) {
    Objects.requireNonNull(declaration, "declaration == null");
    Objects.requireNonNull(topic, "topic == null");
    if (!declaration.matches(topic)) {
      throw new IllegalArgumentException(declaration + " does not declare the topic '" + LogText.escape(topic) + "'");
    }
  }

  private static void requireKind(StateTopic declaration, String topic, StateOp op, StateKind kind) {
    if (declaration.kind() != kind) {
      throw new IllegalArgumentException(op.getClass().getSimpleName() + " is for a " + name(kind)
          + ", and topic '" + LogText.escape(topic) + "' is a " + name(declaration.kind()));
    }
  }

  private static String name(StateKind kind) {
    return kind.name().toLowerCase(Locale.ROOT);
  }

  private static StateKind kindOf(Object stored) {
    return StateKind.valueOf(text(stored).toUpperCase(Locale.ROOT));
  }

  /** A random positive epoch other than {@code previous}. */
  private static long newEpoch(long previous) {
    long epoch;
    do {
      epoch = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    } while (epoch == previous);
    return epoch;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object reply) {
    return (List<Object>) reply;
  }

  private static String text(Object reply) {
    return new String((byte[]) reply, StandardCharsets.UTF_8);
  }

  /** A script's number, an integer reply or the digits of a string. */
  private static long number(Object reply) {
    return reply instanceof Long n ? n : Long.parseLong(text(reply));
  }

  private static byte[] ascii(Object value) {
    return String.valueOf(value).getBytes(StandardCharsets.US_ASCII);
  }
}
