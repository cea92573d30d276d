package dev.reactivews.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.reactivews.state.StateVersion;
import dev.reactivews.state.Stored;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The file-system state store on an in-memory file system, Jimfs, whose size is capped: every
 * test of the default file system's, on a path of another {@link FileSystem} where (as on
 * Windows) no directory can be opened to be synced, and a disk that fills up.
 */
class FileSystemStateStoreOnJimfsTest extends FileSystemStateStoreTest {
  private static final int BLOCK_BYTES = 4_096;
  /** Room for the contract's states and logs; the test of a full disk appends more than all of it. */
  private static final long DISK_BYTES = 512L * BLOCK_BYTES;

  private final FileSystem disk = Jimfs.newFileSystem(
      Configuration.unix().toBuilder().setBlockSize(BLOCK_BYTES).setMaxSize(DISK_BYTES).build());

  @Override
  protected Path directory() {
    return disk.getPath("/data/store");
  }

  @AfterEach
  void closeDisk() throws IOException {
    disk.close();
  }

  @Test
  void aChangeTheDiskHasNoRoomForFailsAndLeavesTheStateAndTheLogAsTheyWere() throws IOException {
    StateVersion kept = store.commit(CHAT, "chat", append("\"kept\""));
    Path log = directory().resolve(".states").resolve("chat").resolve("log.jsonl");
    long committed = Files.size(log);
    String tooLarge = "\"" + "x".repeat((int) DISK_BYTES) + "\"";

    assertThatThrownBy(() -> store.commit(CHAT, "chat", append(tooLarge)))
        .isInstanceOf(StorageException.class).hasMessageContaining("Cannot write the change of topic 'chat'");

    Stored stored = store.read(CHAT, "chat");
    assertThat(stored).extracting(Stored::version, Stored::value).containsExactly(kept, tree("[\"kept\"]"));
    assertThat(Files.size(log)).as("the torn write cut off").isEqualTo(committed);
    assertThat(changes).hasSize(1);
    assertThat(store.commit(CHAT, "chat", append("\"next\""))).isEqualTo(new StateVersion(kept.epoch(), 2));
    driver.close();
    driver = newDriver();
    assertThat(driver.stateStore().read(CHAT, "chat").value()).as("after a restart")
        .isEqualTo(tree("[\"kept\",\"next\"]"));
  }
}
