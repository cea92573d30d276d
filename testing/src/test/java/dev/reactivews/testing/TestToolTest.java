package dev.reactivews.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestToolTest {
  @TempDir
  Path directory;

  private Path program(String folder, String name) throws IOException {
    Path file = Files.createDirectories(directory.resolve(folder)).resolve(name);
    Files.writeString(file, "#!/bin/sh\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }

  private String path(String... folders) {
    StringBuilder path = new StringBuilder();
    for (String folder : folders) {
      path.append(path.isEmpty() ? "" : File.pathSeparator).append(directory.resolve(folder));
    }
    return path.toString();
  }

  @Test
  void theFirstDirectoryOfPathThatHoldsTheProgramWins() throws IOException {
    program("second", "redis-server");
    Path first = program("first", "redis-server");

    assertThat(TestTool.REDIS_SERVER.path(Map.of("PATH", path("empty", "first", "second")))).isEqualTo(first);
  }

  @Test
  void chromiumIsFoundUnderEitherOfItsNames() throws IOException {
    Path browser = program("bin", "chromium-browser");

    assertThat(TestTool.CHROMIUM.path(Map.of("PATH", path("bin")))).isEqualTo(browser);
  }

  @Test
  void theVariableOverridesPath() throws IOException {
    program("bin", "chromedriver");
    Path named = program("elsewhere", "my-chromedriver");

    assertThat(TestTool.CHROMEDRIVER.path(Map.of("PATH", path("bin"), "CHROMEDRIVER", named.toString())))
        .isEqualTo(named);
  }

  @Test
  void aFileThatIsNotExecutableIsNotTheProgram() throws IOException {
    Path plain = program("bin", "redis-server");
    Files.setPosixFilePermissions(plain, PosixFilePermissions.fromString("rw-r--r--"));

    assertThatThrownBy(() -> TestTool.REDIS_SERVER.path(Map.of("PATH", path("bin"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("redis-server is not on PATH");
  }

  @Test
  void aMissingProgramFailsSayingHowToGetIt() {
    assertThatThrownBy(() -> TestTool.CHROMIUM.path(Map.of("PATH", path("nothing-here"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("chromium or chromium-browser is not on PATH")
        .hasMessageContaining("scripts/install-test-tools.sh chromium")
        .hasMessageContaining("set CHROMIUM to its file");
  }

  @Test
  void aVariableNamingNoExecutableFileFailsNamingTheVariable() {
    String missing = directory.resolve("no-such-redis").toString();

    assertThatThrownBy(() -> TestTool.REDIS_SERVER.path(Map.of("REDIS_SERVER", missing)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("REDIS_SERVER=" + missing + " is not an executable file: point it at redis-server, or unset it to look on PATH");
  }
}
