package dev.reactivews.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reactivews.state.Change;
import dev.reactivews.state.StateOp;
import dev.reactivews.state.StateTopic;
import dev.reactivews.state.StateVersion;
import dev.reactivews.state.Stored;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state store of the file-system driver: the contract, and what a restart finds on disk. */
class FileSystemStateStoreTest extends StateStoreContract {
  private static final StateTopic SETTINGS = StateTopic.value("settings");

  @TempDir
  Path root;

  /** Where the driver keeps its files. */
  protected Path directory() {
    return root.resolve("store");
  }

  @Override
  protected StorageDriver newDriver() {
    return StorageDriver.fileSystem(directory());
  }

  private Path folder(String topic) {
    return directory().resolve(".states").resolve(FileSystemStorageDriver.encode(topic));
  }

  /** Stops the driver and starts a new one on the same directory, as a restart of the server does. */
  private void restart() {
    driver.close();
    driver = newDriver();
    store = driver.stateStore();
    store.start(changes::add);
  }

  @Test
  void aRestartKeepsEachTopicsStateEpochAndLog() {
    StateTopic chat = StateTopic.list("chat").maxItems(2);
    store.commit(chat, "chat", append("\"a\"", "\"b\""));
    store.commit(chat, "chat", append("\"c\""));
    store.commit(BOARD, "board", new StateOp.Put("a/b", json("{\"n\":1}")));
    store.commit(BOARD, "board", new StateOp.PutEntry("a/b", json("{\"n\":1}"), json("{\"n\":2}"), Change.Form.MERGE,
        json("{\"a/b\":{\"n\":2}}")));
    store.commit(BOARD, "board", new StateOp.Put("x", json("0")));
    store.commit(BOARD, "board", new StateOp.Remove("x"));
    store.commit(SETTINGS, "settings", new StateOp.Replace(StateVersion.NONE, json("{\"theme\":\"dark\"}"),
        Change.Form.STATE, json("{\"theme\":\"dark\"}")));
    store.commit(SETTINGS, "settings", new StateOp.Clear());
    Stored chatBefore = store.read(chat, "chat");
    Stored boardBefore = store.read(BOARD, "board");
    Stored settingsBefore = store.read(SETTINGS, "settings");

    restart();

    assertThat(store.read(chat, "chat")).isEqualTo(chatBefore);
    assertThat(store.read(BOARD, "board")).isEqualTo(boardBefore);
    assertThat(store.read(SETTINGS, "settings")).isEqualTo(settingsBefore);
    assertThat(chatBefore.value()).isEqualTo(tree("[\"b\",\"c\"]"));
    assertThat(boardBefore.log()).hasSize(4);
    StateVersion next = store.commit(chat, "chat", append("\"d\""));
    assertThat(next).isEqualTo(new StateVersion(chatBefore.version().epoch(), 3));
  }

  @Test
  void aLastLineThatACrashCutShortIsCutOffAndTheChangesBeforeItAreKept() throws IOException {
    store.commit(CHAT, "chat", append("\"a\""));
    StateVersion kept = store.commit(CHAT, "chat", append("\"b\""));
    driver.close();
    Path log = folder("chat").resolve("log.jsonl");
    long committed = Files.size(log);
    Files.write(log, json("{\"v\":3,\"op\":\"append\",\"ite"), StandardOpenOption.APPEND);

    restart();

    assertThat(store.read(CHAT, "chat")).extracting(Stored::version, Stored::value)
        .containsExactly(kept, tree("[\"a\",\"b\"]"));
    assertThat(Files.size(log)).isEqualTo(committed);
    assertThat(store.commit(CHAT, "chat", append("\"c\""))).isEqualTo(new StateVersion(kept.epoch(), 3));
    restart();
    assertThat(store.read(CHAT, "chat").value()).isEqualTo(tree("[\"a\",\"b\",\"c\"]"));
  }

  @Test
  void aDamagedLineBeforeTheLastFailsTheReadRatherThanLoseWhatFollows() throws IOException {
    store.commit(CHAT, "chat", append("\"a\""));
    driver.close();
    Path log = folder("chat").resolve("log.jsonl");
    Files.write(log, json("{\"v\":2,\"op\"}\n{\"v\":3,\"op\":\"append\",\"items\":[1],\"dropped\":0}\n"),
        StandardOpenOption.APPEND);

    restart();

    assertThatThrownBy(() -> store.read(CHAT, "chat")).isInstanceOf(StorageException.class)
        .hasMessageContaining("is damaged");
  }

  @Test
  void theLogIsCompactedToItsLastLinesWheneverItOutgrowsTheSnapshot() throws IOException {
    StateTopic chat = StateTopic.list("chat").logSize(2);
    Path directory = directory().resolveSibling("compacted");
    Path log = directory.resolve("chat").resolve("log.jsonl");
    Path snapshot = directory.resolve("chat").resolve("state.json");
    String item = "\"" + "x".repeat(100) + "\"";
    try (FileSystemStateStore compacting = new FileSystemStateStore(directory, 1)) {
      compacting.start(change -> {});
      for (int i = 0; i < 30; i++) {
        compacting.commit(chat, "chat", append(item));
        long longestLine = Files.readAllLines(log).stream().mapToLong(line -> line.length() + 1).max().orElseThrow();
        assertThat(Files.size(log)).as("after change %d: the snapshot's size, and the lines a compaction keeps", i + 1)
            .isLessThanOrEqualTo(Files.size(snapshot) + chat.logSize() * longestLine);
      }
      List<String> lines = Files.readAllLines(log);
      assertThat(lines).hasSizeBetween(2, 29);
      assertThat(lines.getLast()).startsWith("{\"v\":30,");
      Stored before = compacting.read(chat, "chat");

      try (FileSystemStateStore restarted = new FileSystemStateStore(directory, 1)) {
        assertThat(restarted.read(chat, "chat")).isEqualTo(before);
        assertThat(before.log()).extracting(c -> c.version().number()).containsExactly(29L, 30L);
        assertThat(before.value().size()).isEqualTo(30);
      }
    }
  }

  @Test
  void aRebaseSurvivesARestartAndDropsTheLogOfTheEarlierEpoch() {
    store.commit(CHAT, "chat", append("\"a\""));
    StateVersion at = store.commit(CHAT, "chat", append("\"b\""));
    StateVersion rebased = store.rebase("chat", at.epoch());

    restart();

    assertThat(store.read(CHAT, "chat")).isEqualTo(new Stored(rebased, tree("[\"a\",\"b\"]"), List.of()));
    assertThat(store.commit(CHAT, "chat", append("\"c\""))).isEqualTo(new StateVersion(rebased.epoch(), 3));
    restart();
    assertThat(store.read(CHAT, "chat").log()).extracting(Change::version)
        .containsExactly(new StateVersion(rebased.epoch(), 3));
  }

  @Test
  void statesLiveInAFolderOfTheirOwnThatTheKeysNeverMeet() throws IOException {
    Storage.create(driver, "ws").setItem("chat", List.of("kept by the app"));
    store.commit(StateTopic.list("room:*"), "room:1", append("1"));

    assertThat(driver.keys("")).containsExactly("ws:chat");
    try (var files = Files.list(folder("room:1"))) {
      assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("state.json", "log.jsonl");
    }
    assertThat(folder("room:1").getFileName().toString()).isEqualTo("room%3A1");
  }
}
