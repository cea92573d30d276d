package dev.reactivews.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A program that tests run beside the JVM: Chromium and chromedriver for the browser tests,
 * redis-server for the Redis tests. Each is the file its environment variable names, else the
 * first of its names found on {@code PATH}. A test that needs a missing one fails, saying how to
 * get it; none is skipped.
 */
public enum TestTool {
  CHROMIUM("CHROMIUM", List.of("chromium", "chromium-browser"), "chromium"),
  CHROMEDRIVER("CHROMEDRIVER", List.of("chromedriver"), "chromium"),
  REDIS_SERVER("REDIS_SERVER", List.of("redis-server"), "redis");

  private final String variable;
  private final List<String> names;
  /** The argument of {@code scripts/install-test-tools.sh} that installs it. */
  private final String installArgument;

  TestTool(String variable, List<String> names, String installArgument) {
    this.variable = variable;
    this.names = names;
    this.installArgument = installArgument;
  }

  /** The environment variable that names the program's file, overriding {@code PATH}. */
  public String variable() {
    return variable;
  }

  /** The program's executable file, as this process's environment finds it. */
  public Path path() {
    return path(System.getenv());
  }

  /**
   * The program's executable file, as the environment finds it.
   *
   * @throws IllegalStateException if the variable names no executable file, or if it is unset
   *     and no directory of {@code PATH} holds the program
   */
  public Path path(Map<String, String> environment) {
    String named = environment.get(variable);
    if (named != null && !named.isBlank()) {
      Path file = Path.of(named.trim());
      if (!isExecutableFile(file)) {
        throw new IllegalStateException(variable + "=" + named + " is not an executable file: point it at "
            + names.getFirst() + ", or unset it to look on PATH");
      }
      return file;
    }
    return onPath(environment.getOrDefault("PATH", ""))
        .orElseThrow(() -> new IllegalStateException(String.join(" or ", names) + " is not on PATH ("
            + environment.getOrDefault("PATH", "") + "): install it (`scripts/install-test-tools.sh "
            + installArgument + "` does, or says how), put it on PATH, or set " + variable + " to its file"));
  }

  private Optional<Path> onPath(String path) {
    for (String directory : path.split(File.pathSeparator)) {
      if (directory.isBlank()) {
        continue;
      }
      for (String name : names) {
        Path file = Path.of(directory, name);
        if (isExecutableFile(file)) {
          return Optional.of(file);
        }
      }
    }
    return Optional.empty();
  }

  private static boolean isExecutableFile(Path file) {
    return Files.isRegularFile(file) && Files.isExecutable(file);
  }
}
