package dev.reactivews.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivews.netty.ReactiveWs;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** autoClose: a JVM that exits with a client still open closes it cleanly, unless told not to. */
@Timeout(60)
class AutoCloseTest {
  private final StateApp app = new StateApp();
  private ReactiveWs server;

  @BeforeEach
  void start() {
    server = app.start(0);
  }

  @AfterEach
  void stop() {
    server.stop();
  }

  @ParameterizedTest
  @CsvSource({"true, close 1000", "false, close 1006"})
  void aJvmThatExitsClosesTheConnectionAsTold(boolean autoClose, String closeEvent) throws Exception {
    String java = ProcessHandle.current().info().command().orElseThrow();
    Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
        AutoCloseMain.class.getName(), "ws://127.0.0.1:" + server.port() + StateApp.ROUTE, String.valueOf(autoClose))
        .redirectErrorStream(true)
        .start();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      assertThat(out.readLine()).isEqualTo("open");
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the client's threads do not keep the JVM alive").isTrue();
    } finally {
      process.destroyForcibly();
    }
    app.log.awaitEvent(closeEvent);
  }
}
