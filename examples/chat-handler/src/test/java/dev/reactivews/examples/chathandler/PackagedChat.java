package dev.reactivews.examples.chathandler;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/**
 * A chat example's packaged jar run as the README runs it, {@code java -jar}, on the JDK of the
 * tests, in a process of its own: its output (stdout and stderr, in order) is kept for
 * assertions, and {@link #close()} stops it as Ctrl-C does.
 */
public final class PackagedChat implements AutoCloseable {
  private static final Duration STARTUP = Duration.ofSeconds(60);
  private static final Duration SHUTDOWN = Duration.ofSeconds(30);
  /**
   * What the shell may hold that would change the app or add lines to its output: the chat's
   * settings, and the JDK's option variables, which it announces on stderr.
   */
  private static final List<String> CLEARED_PREFIXES =
      List.of("WS_", "REDIS_", "STORAGE_DIR", "HOST", "PORT", "SPRING_", "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS");

  private final Process process;
  private final Thread reader;
  private final List<String> output = new CopyOnWriteArrayList<>();
  private final int port;

  private PackagedChat(Process process, Pattern ready) {
    this.process = process;
    this.reader = Thread.ofVirtual().name("jar-output-" + process.pid()).start(this::readOutput);
    this.port = awaitPort(ready);
  }

  /**
   * Runs the jar (the path of a system property the build sets) with the environment added to
   * a cleared copy of this one; returns once a line of its output matches {@code ready}, whose
   * group {@code port} is the port it listens on.
   */
  public static PackagedChat start(String jarProperty, Map<String, String> environment, Pattern ready) {
    String jar = System.getProperty(jarProperty);
    assertThat(jar).as("system property %s: the build sets it to the packaged jar (run `./mvnw verify`)", jarProperty)
        .isNotBlank();
    assertThat(Files.isRegularFile(Path.of(jar))).as("%s exists: `./mvnw package` builds it", jar).isTrue();
    ProcessBuilder builder = new ProcessBuilder(javaOfThisJvm(), "-jar", jar).redirectErrorStream(true);
    builder.environment().keySet().removeIf(name -> CLEARED_PREFIXES.stream().anyMatch(name::startsWith));
    builder.environment().putAll(environment);
    try {
      return new PackagedChat(builder.start(), ready);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String javaOfThisJvm() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private void readOutput() {
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        output.add(line);
      }
    } catch (IOException e) {
      // The process is gone; what it printed until then is kept.
    }
  }

  private int awaitPort(Pattern ready) {
    try {
      return Awaitility.await("a line matching " + ready)
          .atMost(STARTUP)
          .pollInterval(Duration.ofMillis(50))
          .failFast("the process exited", () -> !process.isAlive())
          .until(() -> output.stream().map(ready::matcher).filter(Matcher::find).findFirst()
              .map(match -> Integer.parseInt(match.group("port"))).orElse(null), port -> port != null);
    } catch (RuntimeException e) {
      process.destroyForcibly();
      throw new AssertionError("the jar did not start; its output:\n" + String.join("\n", output), e);
    }
  }

  public int port() {
    return port;
  }

  /** Every line printed so far. */
  public List<String> output() {
    return new ArrayList<>(output);
  }

  /** A GET of the path on the port the app listens on, from 127.0.0.1. */
  public HttpResponse<String> get(String path) {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(30))
        .build();
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Asserts that the chat serves its page, the browser client and the Vue of its Vue page. */
  public void assertServesThePageTheClientAndVue() {
    HttpResponse<String> page = get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
    assertThat(page.body()).contains("<title>reactive-ws chat</title>");

    HttpResponse<String> client = get("/_reactive-ws/client.js");
    assertThat(client.statusCode()).isEqualTo(200);
    assertThat(client.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/javascript"));
    assertThat(client.body()).contains("export { applyMerge, applyPatch, useWS } from './reactive-ws.js'");
    assertThat(get("/_reactive-ws/reactive-ws.js").body()).contains("export function useWS");

    HttpResponse<String> vue = get("/vendor/vue.esm-browser.prod.js");
    assertThat(vue.statusCode()).isEqualTo(200);
    assertThat(vue.body()).contains("createApp");
  }

  /**
   * Stops the process as {@link #stop()} does and asserts that it exited as SIGTERM makes a JVM
   * exit, and printed no JDK warning and no exception on the way.
   */
  public void stopCleanly() {
    assertThat(stop()).as("exit code after SIGTERM (128 + 15)").isEqualTo(143);
    assertThat(output())
        .as("the JDK warns on stderr with lines that start with WARNING:")
        .noneMatch(line -> line.startsWith("WARNING"))
        .noneMatch(line -> line.contains("Exception"));
  }

  /**
   * Stops the process with SIGTERM, as Ctrl-C does, so that its shutdown hooks run; returns
   * its exit code once it is gone and its last lines are read.
   */
  public int stop() {
    process.destroy();
    try {
      assertThat(process.waitFor(SHUTDOWN.toMillis(), TimeUnit.MILLISECONDS))
          .as("the jar exits within %s of SIGTERM; its output:%n%s", SHUTDOWN, String.join("\n", output))
          .isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      process.destroyForcibly();
    }
    try {
      assertThat(reader.join(SHUTDOWN)).as("the output of the exited jar is read to its end").isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return process.exitValue();
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      stop();
    }
  }
}
