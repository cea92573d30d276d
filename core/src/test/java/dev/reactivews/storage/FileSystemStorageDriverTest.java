package dev.reactivews.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
}
