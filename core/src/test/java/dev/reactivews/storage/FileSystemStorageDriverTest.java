package dev.reactivews.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSystemStorageDriverTest extends StorageDriverContract {
  @TempDir
  Path root;

  private Path directory() {
    return root.resolve("store");
  }

  @Override
  protected StorageDriver newDriver() {
    return StorageDriver.fileSystem(directory());
  }

  private List<String> fileNames() throws IOException {
    try (Stream<Path> files = Files.list(directory())) {
      return files.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void valuesOutliveTheDriverAsOneJsonFilePerKey() throws IOException {
    Storage.create(driver, "ws").setItem("chat", List.of("hi"));

    Storage reopened = Storage.create(StorageDriver.fileSystem(directory()), "ws");
    assertThat(reopened.getItem("chat", List.class)).containsExactly("hi");
    assertThat(fileNames()).containsExactly("ws%3Achat.json");
    assertThat(Files.readString(directory().resolve("ws%3Achat.json"))).isEqualTo("[\"hi\"]");
  }

  @Test
  void keysThatLookLikePathsStayInsideTheDirectory() throws IOException {
    Storage storage = Storage.create(driver, "");
    storage.setItem("../escape", 1);
    storage.setItem("/etc/passwd", 2);
    storage.setItem(".", 3);
    storage.setItem("a\\b", 4);

    try (Stream<Path> outside = Files.list(root)) {
      assertThat(outside.map(p -> p.getFileName().toString())).containsExactly("store");
    }
    assertThat(fileNames()).containsExactlyInAnyOrder("%2E.json", "%2E%2E%2Fescape.json", "%2Fetc%2Fpasswd.json", "a%5Cb.json");
    assertThat(storage.getItem("../escape", Integer.class)).isEqualTo(1);
    assertThat(storage.getKeys()).containsExactly(".", "../escape", "/etc/passwd", "a\\b");
  }

  @Test
  void aKeyTooLongForAFileNameFailsClearly() {
    String key = "k".repeat(300);
    assertThatThrownBy(() -> driver.set(key, "1".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("Key too long for a file name");
    assertThatThrownBy(() -> driver.get(key)).isInstanceOf(StorageException.class);
  }

  @Test
  void filesNoKeyMakesAreNotKeys() throws IOException {
    driver.set("real", "1".getBytes(StandardCharsets.UTF_8));
    Files.writeString(directory().resolve(".tmp-leftover"), "half");
    Files.writeString(directory().resolve("notes.txt"), "x");
    Files.writeString(directory().resolve("bad%zz.json"), "x");
    Files.writeString(directory().resolve("a.b.json"), "x");
    assertThat(driver.keys("")).containsExactly("real");
  }

  @Test
  void aWriteLeavesNoTemporaryFileBehind() throws IOException {
    for (int i = 0; i < 20; i++) {
      driver.set("k", ("" + i).getBytes(StandardCharsets.UTF_8));
      driver.update("k", v -> v);
    }
    assertThat(fileNames()).containsExactly("k.json");
  }

  @Test
  void anUnreadableDirectoryFailsWithAStorageException() throws IOException {
    Path file = root.resolve("a-file");
    Files.writeString(file, "not a directory");
    assertThatThrownBy(() -> StorageDriver.fileSystem(file))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("a-file");
  }

  @Test
  void temporaryFilesACrashLeftAreRemovedAtStartAndNothingElse() throws IOException {
    driver.set("kept", "1".getBytes(StandardCharsets.UTF_8));
    String leftover = ".tmp-" + UUID.randomUUID();
    Files.writeString(directory().resolve(leftover), "half a value");
    Files.writeString(directory().resolve(".tmp-notes"), "not the driver's");
    String lookalike = ".tmp-" + UUID.randomUUID() + ".bak";
    Files.writeString(directory().resolve(lookalike), "not the driver's either");

    StorageDriver restarted = StorageDriver.fileSystem(directory());

    assertThat(fileNames()).containsExactlyInAnyOrder(".tmp-notes", lookalike, "kept.json");
    assertThat(restarted.get("kept")).asString(StandardCharsets.UTF_8).isEqualTo("1");
  }

  @Test
  void keysThatDifferOnlyInCaseKeepFilesWhoseNamesDifferInMoreThanCase() throws IOException {
    for (String key : List.of("A", "a", "Chat", "chat", "CHAT")) {
      driver.set(key, key.getBytes(StandardCharsets.UTF_8));
    }

    assertThat(fileNames()).containsExactlyInAnyOrder("%41.json", "a.json", "%43hat.json", "chat.json", "%43%48%41%54.json");
    assertThat(fileNames().stream().map(name -> name.toLowerCase(Locale.ROOT)).distinct())
        .as("distinct where the file system ignores case").hasSize(5);
    for (String key : List.of("A", "a", "Chat", "chat", "CHAT")) {
      assertThat(driver.get(key)).asString(StandardCharsets.UTF_8).isEqualTo(key);
    }
    assertThat(driver.keys("")).containsExactly("A", "CHAT", "Chat", "a", "chat");
  }

  @Test
  void filesAnEarlierVersionNamedWithUpperCaseLettersAreRenamedAtStartAndStayReadable() throws IOException {
    Files.createDirectories(directory());
    Files.writeString(directory().resolve("ws%3AGeneral.json"), "[\"upper\"]");
    Files.writeString(directory().resolve("ws%3Achat.json"), "[\"lower\"]");

    StorageDriver upgraded = StorageDriver.fileSystem(directory());

    assertThat(fileNames()).containsExactlyInAnyOrder("ws%3A%47eneral.json", "ws%3Achat.json");
    assertThat(upgraded.keys("ws:")).containsExactly("ws:General", "ws:chat");
    assertThat(upgraded.get("ws:General")).asString(StandardCharsets.UTF_8).isEqualTo("[\"upper\"]");
    assertThat(upgraded.get("ws:chat")).asString(StandardCharsets.UTF_8).isEqualTo("[\"lower\"]");
  }

  @Test
  void anEarlierVersionsFileWhoseKeyHasAFileOfTodayAlreadyIsLeftAlone() throws IOException {
    driver.set("Chat", "today".getBytes(StandardCharsets.UTF_8));
    Files.writeString(directory().resolve("Chat.json"), "an earlier version's");

    StorageDriver restarted = StorageDriver.fileSystem(directory());

    assertThat(fileNames()).containsExactlyInAnyOrder("%43hat.json", "Chat.json");
    assertThat(restarted.get("Chat")).asString(StandardCharsets.UTF_8).isEqualTo("today");
  }

  @Test
  void aKeyWithALoneSurrogateIsRefusedAndAPairIsNot() throws IOException {
    for (String key : List.of("chat\uD83D", "\uDE00chat", "a\uDE00\uD83Db")) {
      assertThatThrownBy(() -> driver.set(key, "1".getBytes(StandardCharsets.UTF_8)))
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("lone surrogate")
          .hasMessageNotContaining("\uD83D");
      assertThatThrownBy(() -> driver.get(key)).isInstanceOf(StorageException.class);
    }
    driver.set("chat\uD83D\uDE00", "1".getBytes(StandardCharsets.UTF_8));
    assertThat(fileNames()).containsExactly("chat%F0%9F%98%80.json");
    assertThat(driver.keys("")).containsExactly("chat\uD83D\uDE00");
  }
}
