package dev.reactivews.redis;

import dev.reactivews.testing.TestTool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real redis-server (the one on {@code PATH}, or the file {@code REDIS_SERVER} names: {@link
 * TestTool#REDIS_SERVER}) on a free loopback port, without persistence, in a temporary
 * directory. {@link #stop()} and {@link #start()} again keep the
 * port, as a Redis restart does; {@link #close()} stops it for good. As a JUnit extension
 * ({@code @RegisterExtension static final RedisServer redis = RedisServer.perTestClass();}) it
 * runs for the whole test class.
 */
public final class RedisServer implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
  private static final Duration STARTUP = Duration.ofSeconds(20);

  private final int port;
  private final Path directory;
  private Process process;

  private RedisServer(int port, Path directory) {
    this.port = port;
    this.directory = directory;
  }

  /** Starts a server on a free port. */
  public static RedisServer startNew() {
    RedisServer server = perTestClass();
    server.start();
    return server;
  }

  /** A server that starts before the test class's first test and stops after its last. */
  public static RedisServer perTestClass() {
    try {
      return new RedisServer(freePort(), Files.createTempDirectory("reactive-ws-redis"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  public int port() {
    return port;
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  /** Starts the process (again, after {@link #stop()}) on its port; waits until it answers PING. */
  public synchronized void start() {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("already running on " + port);
    }
    Path binary = TestTool.REDIS_SERVER.path();
    try {
      process = new ProcessBuilder(List.of(binary.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
              "--save", "", "--appendonly", "no", "--dir", directory.toString(), "--protected-mode", "no"))
          .redirectErrorStream(true)
          .redirectOutput(directory.resolve("redis.log").toFile())
          .start();
    } catch (IOException e) {
      throw new IllegalStateException(binary + " did not start", e);
    }
    long deadline = System.nanoTime() + STARTUP.toNanos();
    while (!"+PONG".equals(command("PING"))) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException("redis-server on port " + port + " did not answer PING: " + log());
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
  }

  /** Stops the process (SIGTERM) and waits until it is gone: clients see their connections close. */
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    signal("-CONT");
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  /** Stops the process with SIGSTOP: its connections stay open and nothing answers, as a stalled Redis. */
  public synchronized void pause() {
    signal("-STOP");
  }

  /** Lets a {@link #pause() paused} process go on with SIGCONT. */
  public synchronized void resume() {
    signal("-CONT");
  }

  private void signal(String signal) {
    try {
      Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid())).inheritIO().start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill " + signal + " " + process.pid() + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Sends one inline command and returns the first line of the answer ({@code +PONG}, {@code
   * :2}, {@code *3}...), or null if nothing answers.
   */
  public String command(String inline) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
      socket.setSoTimeout(5000);
      socket.getOutputStream().write((inline + "\r\n").getBytes(StandardCharsets.UTF_8));
      StringBuilder line = new StringBuilder();
      int c;
      while ((c = socket.getInputStream().read()) != -1 && c != '\r') {
        line.append((char) c);
      }
      return line.toString();
    } catch (IOException e) {
      return null;
    }
  }

  /** Publishes bytes as they are ({@code PUBLISH} in the binary-safe protocol); returns the reply's first line. */
  public String publish(String channel, byte[] message) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
      socket.setSoTimeout(5000);
      java.io.ByteArrayOutputStream command = new java.io.ByteArrayOutputStream();
      byte[] name = channel.getBytes(StandardCharsets.UTF_8);
      command.writeBytes(("*3\r\n$7\r\nPUBLISH\r\n$" + name.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
      command.writeBytes(name);
      command.writeBytes(("\r\n$" + message.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
      command.writeBytes(message);
      command.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().write(command.toByteArray());
      return readLines(socket, 1).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** How many connections subscribe to the channel ({@code PUBSUB NUMSUB}). */
  public int subscribers(String channel) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
      socket.setSoTimeout(5000);
      socket.getOutputStream().write(("PUBSUB NUMSUB " + channel + "\r\n").getBytes(StandardCharsets.UTF_8));
      // *2, $length, channel, :count
      String reply = readLines(socket, 4);
      return Integer.parseInt(reply.substring(reply.lastIndexOf(':') + 1).trim());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String readLines(Socket socket, int lines) throws IOException {
    StringBuilder text = new StringBuilder();
    int seen = 0;
    int c;
    while (seen < lines && (c = socket.getInputStream().read()) != -1) {
      if (c == '\n') {
        seen++;
      }
      text.append((char) c);
    }
    return text.toString();
  }

  private String log() {
    try {
      return Files.readString(directory.resolve("redis.log"));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() {
    stop();
    try (var files = Files.walk(directory)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException ignored) {
      // A temporary directory left behind is harmless.
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return socket.getLocalPort();
    }
  }
}
