package dev.reactivews.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The file storage driver on an in-memory file system, Jimfs, whose size is capped: the contract
 * on a path of another {@link FileSystem} than the default, and a disk that fills up. Jimfs, like
 * Windows, refuses to open a directory as a file, so these tests also show that every write
 * works where the directory cannot be synced.
 */
class FileSystemStorageDriverOnJimfsTest extends StorageDriverContract {
  private static final int BLOCK_BYTES = 4_096;
  /** Room for the contract's values; the test of a full disk writes more than all of it. */
  private static final long DISK_BYTES = 64L * BLOCK_BYTES;

  private final FileSystem disk = Jimfs.newFileSystem(
      Configuration.unix().toBuilder().setBlockSize(BLOCK_BYTES).setMaxSize(DISK_BYTES).build());
  private final Path directory = disk.getPath("/data/store");

  @Override
  protected StorageDriver newDriver() {
    return StorageDriver.fileSystem(directory);
  }

  @AfterEach
  void closeDisk() throws IOException {
    disk.close();
  }

  private List<String> fileNames() throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void aWriteTheDiskHasNoRoomForFailsAndLeavesTheEarlierValueAndNoTemporaryFile() throws IOException {
    byte[] earlier = "[\"kept\"]".getBytes(StandardCharsets.UTF_8);
    driver.set("ws:chat", earlier);
    byte[] tooLarge = new byte[(int) DISK_BYTES];
    Arrays.fill(tooLarge, (byte) 'x');

    assertThatThrownBy(() -> driver.set("ws:chat", tooLarge))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("Cannot write 'ws:chat'")
        .hasCauseInstanceOf(IOException.class);
    assertThatThrownBy(() -> driver.update("ws:chat", old -> tooLarge)).isInstanceOf(StorageException.class);

    assertThat(driver.get("ws:chat")).isEqualTo(earlier);
    assertThat(fileNames()).containsExactly("ws%3Achat.json");
    assertThat(StorageDriver.fileSystem(directory).get("ws:chat")).as("after a restart").isEqualTo(earlier);
  }
}
