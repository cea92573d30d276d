package dev.reactivews.storage;

import dev.reactivews.internal.LogText;
import dev.reactivews.state.Change;
import dev.reactivews.state.StateKind;
import dev.reactivews.state.StateTopic;
import dev.reactivews.state.StateVersion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Keeps each state topic in memory as {@link MemoryStateStore} does, and on disk in a folder of
 * its own under the directory, named as {@link FileSystemStorageDriver} names a key's file:
 * <ul>
 *   <li>{@code state.json}, a snapshot, <code>{"epoch":"E","v":N,"since":S,"kind":"list","value":…}</code>,
 *       replaced atomically; {@code since} is the number at which the epoch began, so lines of
 *       the log at or below it belong to an earlier epoch;
 *   <li>{@code log.jsonl}, one line per change: its version and its effect, such as <code>
 *       {"v":41,"op":"append","items":[…],"dropped":0}</code>, which rebuilds the change's body
 *       as it applies, so replaying the log needs no patch applier. A commit appends its line and
 *       forces it to disk before it changes the state in memory: an append, a put or a remove
 *       writes the bytes of its own items only; a change of the whole state writes it whole.
 * </ul>
 *
 * <p>When the log outgrows both the snapshot and a floor (1 MiB), the snapshot is written at the
 * current version and the log rewritten with its last {@link StateTopic#logSize()} lines: O(size)
 * work after at least O(size) bytes of changes. A topic is loaded when first used: the snapshot,
 * then every line above it, and a last line that a crash cut short is cut off. So a restart keeps
 * every committed change, the epoch and the log. One process per directory.
 */
final class FileSystemStateStore extends MemoryStateStore {
  private static final Logger LOG = LoggerFactory.getLogger(FileSystemStateStore.class);
  private static final long MIN_COMPACTION_BYTES = 1 << 20;
  private static final String SNAPSHOT = "state.json";
  private static final String LOG_FILE = "log.jsonl";
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final Path directory;
  /** The log is compacted only once it is larger than this, however small the snapshot. */
  private final long minCompactionBytes;

  FileSystemStateStore(Path directory) {
    this(directory, MIN_COMPACTION_BYTES);
  }

  FileSystemStateStore(Path directory, long minCompactionBytes) {
    this.directory = directory;
    this.minCompactionBytes = minCompactionBytes;
  }

  /** A topic and its files; every field is read and written under the topic's lock. */
  private static final class FileTopic extends Topic {
    final Path folder;
    /** Whether the snapshot exists on disk. */
    boolean stored;
    /** Where lines are appended; null until the first change, and after a close. */
    @Nullable FileChannel logChannel;
    long logBytes;
    long snapshotBytes;
    long since;
    /** The log's last lines, oldest first, newline included: what a compaction keeps. */
    final ArrayDeque<byte[]> lines = new ArrayDeque<>();
    /** An append failed and could not be undone: the file may end in a torn line, so the topic must be loaded again. */
    boolean broken;

    FileTopic(String name, StateKind kind, JsonNode tree, Path folder) {
      super(name, kind, tree);
      this.folder = folder;
    }
  }

  private Path folder(String name) {
    return directory.resolve(FileSystemStorageDriver.fileName("Topic", name, ""));
  }

  @Override
  @Nullable Topic load(String name) {
    Path folder = folder(name);
    byte[] snapshot;
    try {
      snapshot = Files.readAllBytes(folder.resolve(SNAPSHOT));
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new StorageException("Cannot read the state of topic '" + LogText.escape(name) + "' from " + folder, e);
    }
    try {
      FileSystemStorageDriver.removeLeftoverTemporaryFiles(folder);
      FileTopic topic = fromSnapshot(name, folder, snapshot);
      replay(topic);
      return topic;
    } catch (IOException e) {
      throw new StorageException("Cannot read the state of topic '" + LogText.escape(name) + "' from " + folder, e);
    } catch (RuntimeException e) {
      throw new StorageException("The state of topic '" + LogText.escape(name) + "' in " + folder + " is damaged: "
          + e.getMessage(), e);
    }
  }

  private static FileTopic fromSnapshot(String name, Path folder, byte[] bytes) {
    JsonNode snapshot = parse(bytes, SNAPSHOT);
    StateKind kind = StateKind.valueOf(snapshot.required("kind").asString().toUpperCase(Locale.ROOT));
    FileTopic topic = new FileTopic(name, kind, snapshot.required("value"), folder);
    topic.epoch = Long.parseLong(snapshot.required("epoch").asString());
    topic.number = snapshot.required("v").asLong();
    topic.since = snapshot.required("since").asLong();
    topic.stored = true;
    topic.snapshotBytes = bytes.length;
    return topic;
  }

  /** Applies the log's lines above the snapshot, keeps the last ones as the topic's log, and cuts a torn last line. */
  private static void replay(FileTopic topic) throws IOException {
    Path file = topic.folder.resolve(LOG_FILE);
    byte[] log;
    try {
      log = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return;
    }
    int end = lastNewline(log) + 1;
    if (end < log.length) {
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
        channel.truncate(end);
        channel.force(false);
      }
      LOG.warn("topic {}: cut the last {} byte(s) of {}, a change whose write was cut short and so never committed",
          LogText.escape(topic.name), log.length - end, file);
    }
    int start = 0;
    while (start < end) {
      int newline = indexOf(log, (byte) '\n', start);
      byte[] line = Arrays.copyOfRange(log, start, newline + 1);
      start = newline + 1;
      JsonNode parsed = parse(line, LOG_FILE + "'s line");
      long v = parsed.required("v").asLong();
      if (v <= topic.since) {
        continue;
      }
      Effect effect = effectOf(parsed, topic.kind);
      if (v == topic.number + 1) {
        effect.apply(topic);
        topic.number = v;
      } else if (v > topic.number) {
        throw new IllegalStateException(LOG_FILE + " goes from version " + topic.number + " to " + v);
      }
      topic.log.addLast(new Change(topic.name, new StateVersion(topic.epoch, v), effect.form(), encode(effect.body())));
      topic.lines.addLast(line);
    }
    topic.logBytes = end;
  }

  @Override
  Topic create(String name, StateTopic declaration) {
    return new FileTopic(name, declaration.kind(), declaration.initial(), folder(name));
  }

  @Override
  void journal(Topic topic, StateVersion next, Effect effect) {
    FileTopic file = (FileTopic) topic;
    if (file.broken) {
      throw new StorageException("Topic '" + LogText.escape(topic.name) + "': an earlier write to " + file.folder
          + " failed and could not be undone; the next call reads the topic again", null);
    }
    byte[] line = line(next.number(), effect);
    long before = file.logBytes;
    try {
      if (!file.stored) {
        Files.createDirectories(file.folder);
        FileSystemStorageDriver.syncDirectory(directory);
        writeSnapshot(file, next.epoch(), 0);
        // The snapshot names the epoch now: should the line fail, the next commit must take the same one.
        file.epoch = next.epoch();
      }
      FileChannel log = file.logChannel;
      if (log == null) {
        log = openLog(file);
        before = file.logBytes;
      }
      FileSystemStorageDriver.writeFully(log, line);
      log.force(false);
    } catch (IOException e) {
      undo(file, before);
      throw new StorageException("Cannot write the change of topic '" + LogText.escape(topic.name) + "' to "
          + file.folder, e);
    }
    file.logBytes += line.length;
    file.lines.addLast(line);
  }

  /** Cuts what a failed append wrote; a topic whose file cannot be cut is loaded again by the next call. */
  private void undo(FileTopic file, long before) {
    if (file.logChannel == null) {
      return;
    }
    try {
      file.logChannel.truncate(before);
      file.logChannel.position(before);
    } catch (IOException e) {
      file.broken = true;
      closeLog(file);
      evict(file);
    }
  }

  @Override
  void committed(Topic topic, StateTopic declaration) {
    FileTopic file = (FileTopic) topic;
    while (file.lines.size() > declaration.logSize()) {
      file.lines.removeFirst();
    }
    if (file.logBytes > Math.max(file.snapshotBytes, minCompactionBytes)) {
      compact(file);
    }
  }

  /** Writes the snapshot at the current version, then the log with only its last lines. */
  private void compact(FileTopic file) {
    try {
      writeSnapshot(file, file.epoch, file.since);
      closeLog(file);
      ByteArrayOutputStream kept = new ByteArrayOutputStream();
      file.lines.forEach(kept::writeBytes);
      FileSystemStorageDriver.writeAtomically(file.folder, file.folder.resolve(LOG_FILE), kept.toByteArray());
      openLog(file);
    } catch (IOException e) {
      // Every change is in the log already; a log that stays long costs only a slower start.
      LOG.warn("topic {}: cannot compact the log in {}; it grows until a compaction works",
          LogText.escape(file.name), file.folder, e);
    }
  }

  @Override
  void rebased(Topic topic, StateVersion next) {
    FileTopic file = (FileTopic) topic;
    try {
      // From here the snapshot's since makes the log's lines an earlier epoch's, whatever happens to the log.
      writeSnapshot(file, next.epoch(), next.number());
    } catch (IOException e) {
      throw new StorageException("Cannot write the new epoch of topic '" + LogText.escape(topic.name) + "' to "
          + file.folder, e);
    }
    file.lines.clear();
    closeLog(file);
    try {
      FileSystemStorageDriver.writeAtomically(file.folder, file.folder.resolve(LOG_FILE), new byte[0]);
    } catch (IOException e) {
      LOG.warn("topic {}: cannot empty the log in {}; its lines are skipped as an earlier epoch's",
          LogText.escape(file.name), file.folder, e);
    }
  }

  private void writeSnapshot(FileTopic file, long epoch, long since) throws IOException {
    ObjectNode snapshot = NODES.objectNode()
        .put("epoch", Long.toString(epoch))
        .put("v", file.number)
        .put("since", since)
        .put("kind", kindName(file.kind));
    snapshot.set("value", file.tree);
    byte[] bytes = encode(snapshot);
    FileSystemStorageDriver.writeAtomically(file.folder, file.folder.resolve(SNAPSHOT), bytes);
    file.stored = true;
    file.snapshotBytes = bytes.length;
    file.since = since;
  }

  private static FileChannel openLog(FileTopic file) throws IOException {
    FileChannel log = FileChannel.open(file.folder.resolve(LOG_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    file.logChannel = log;
    file.logBytes = log.size();
    log.position(file.logBytes);
    return log;
  }

  private static void closeLog(FileTopic file) {
    if (file.logChannel == null) {
      return;
    }
    try {
      file.logChannel.close();
    } catch (IOException e) {
      LOG.debug("closing the log of topic {} failed", LogText.escape(file.name), e);
    }
    file.logChannel = null;
  }

  @Override
  public void close() {
    for (Topic topic : loaded()) {
      topic.lock.lock();
      try {
        closeLog((FileTopic) topic);
      } finally {
        topic.lock.unlock();
      }
    }
  }

  /** The log line of a change: its version and its effect, newline included. */
  private static byte[] line(long number, Effect effect) {
    ObjectNode line = NODES.objectNode().put("v", number);
    switch (effect) {
      case Appended appended -> {
        line.put("op", "append");
        line.set("items", NODES.arrayNode(appended.items().size()).addAll(appended.items()));
        line.put("dropped", appended.dropped());
      }
      case PutKey put -> {
        line.put("op", "put").put("key", put.key()).set("value", put.value());
        putBody(line, put.form(), put.body());
      }
      case RemovedKey removed -> line.put("op", "remove").put("key", removed.key());
      case Replaced replaced -> {
        line.put("op", "replace").set("value", replaced.value());
        putBody(line, replaced.form(), replaced.body());
      }
    }
    byte[] json = encode(line);
    byte[] withNewline = Arrays.copyOf(json, json.length + 1);
    withNewline[json.length] = '\n';
    return withNewline;
  }

  /** The caller's body, when the change has one; the store's own bodies are rebuilt from the effect. */
  private static void putBody(ObjectNode line, Change.Form form, JsonNode body) {
    if (body != null) {
      line.put("form", form.name().toLowerCase(Locale.ROOT)).set("body", body);
    }
  }

  private static Effect effectOf(JsonNode line, StateKind kind) {
    String op = line.required("op").asString();
    StateKind needs = switch (op) {
      case "append" -> StateKind.LIST;
      case "put", "remove" -> StateKind.MAP;
      case "replace" -> kind;
      default -> throw new IllegalStateException("a line of " + LOG_FILE + " has the unknown op '" + op + "'");
    };
    if (needs != kind) {
      throw new IllegalStateException("a line of " + LOG_FILE + " does '" + op + "' to a " + kindName(kind));
    }
    JsonNode body = line.get("body");
    Change.Form form = body == null ? null : Change.Form.valueOf(line.required("form").asString().toUpperCase(Locale.ROOT));
    return switch (op) {
      case "append" -> new Appended(((ArrayNode) line.required("items")).valueStream().toList(),
          line.required("dropped").asInt());
      case "put" -> new PutKey(line.required("key").asString(), line.required("value"),
          form == null ? Change.Form.PATCH : form, body);
      case "remove" -> new RemovedKey(line.required("key").asString());
      default -> new Replaced(line.required("value"), form == null ? Change.Form.STATE : form, body);
    };
  }

  private static int lastNewline(byte[] bytes) {
    for (int i = bytes.length - 1; i >= 0; i--) {
      if (bytes[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private static int indexOf(byte[] bytes, byte b, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }
}
