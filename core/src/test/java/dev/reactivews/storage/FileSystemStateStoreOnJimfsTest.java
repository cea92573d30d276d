package dev.reactivews.storage;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;

/**
 * The file-system state store on an in-memory file system, Jimfs: every test of the default file
 * system's, on a path of another {@link FileSystem}, where (as on Windows) no directory can be
 * opened to be synced.
 */
class FileSystemStateStoreOnJimfsTest extends FileSystemStateStoreTest {
  private final FileSystem disk = Jimfs.newFileSystem(Configuration.unix());

  @Override
  protected Path directory() {
    return disk.getPath("/data/store");
  }

  @AfterEach
  void closeDisk() throws IOException {
    disk.close();
  }
}
