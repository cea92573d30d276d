package dev.reactivews.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The proxy other tests rely on to fake a silent or broken network. It only moves bytes, so a
 * line echo server stands behind it here: the testing module has no WebSocket server of its own.
 */
@Timeout(60)
class TcpProxyTest {
  private static final Duration QUIET_PERIOD = Duration.ofMillis(300);

  @Test
  void holdsBytesWhileSilentAndDeliversThemInOrderOnResume() throws Exception {
    try (EchoServer server = new EchoServer();
        TcpProxy proxy = TcpProxy.start(server.port());
        LineClient client = new LineClient(proxy.port())) {
      client.send("first");
      assertThat(client.next()).isEqualTo("echo first");

      proxy.silence();
      client.send("second").send("third");
      await().during(QUIET_PERIOD).atMost(WsRecorder.TIMEOUT).until(() -> client.received().size() == 1);

      proxy.resume();
      assertThat(client.next()).isEqualTo("echo second");
      assertThat(client.next()).isEqualTo("echo third");
    }
  }

  @Test
  void dropConnectionsClosesTheClientAndAcceptsNewOnes() throws Exception {
    try (EchoServer server = new EchoServer();
        TcpProxy proxy = TcpProxy.start(server.port())) {
      LineClient first = new LineClient(proxy.port());
      await().until(() -> proxy.openSockets() == 2);

      proxy.dropConnections();
      await().until(first::isClosed);
      await().until(() -> server.connections() == 0);

      try (LineClient second = new LineClient(proxy.port())) {
        second.send("again");
        assertThat(second.next()).isEqualTo("echo again");
      }
    }
  }

  private static BufferedReader lines(Socket socket) throws IOException {
    return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
  }

  /** Answers every line {@code x} with {@code echo x}, and counts its open connections. */
  private static final class EchoServer implements AutoCloseable {
    private final ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final AtomicInteger connections = new AtomicInteger();

    EchoServer() throws IOException {
      Thread.ofVirtual().start(this::acceptLoop);
    }

    int port() {
      return listener.getLocalPort();
    }

    int connections() {
      return connections.get();
    }

    private void acceptLoop() {
      while (!listener.isClosed()) {
        try {
          Socket socket = listener.accept();
          connections.incrementAndGet();
          Thread.ofVirtual().start(() -> echo(socket));
        } catch (IOException e) {
          // Closed, or one failed accept: the loop condition tells which.
        }
      }
    }

    private void echo(Socket socket) {
      try (socket; BufferedReader in = lines(socket); OutputStream out = socket.getOutputStream()) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          out.write(("echo " + line + "\n").getBytes(StandardCharsets.UTF_8));
          out.flush();
        }
      } catch (IOException e) {
        // The client went away.
      } finally {
        connections.decrementAndGet();
      }
    }

    @Override
    public void close() throws IOException {
      listener.close();
    }
  }

  /** Sends lines and records the lines it receives, in order, as WsRecorder does messages. */
  private static final class LineClient implements AutoCloseable {
    private final Socket socket;
    private final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
    private final List<String> received = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    LineClient(int port) throws IOException {
      socket = new Socket(InetAddress.getLoopbackAddress(), port);
      Thread.ofVirtual().start(this::readLoop);
    }

    LineClient send(String line) {
      try {
        socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        return this;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    String next() throws InterruptedException {
      String line = queue.poll(WsRecorder.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(line).as("a line within %s; received so far: %s", WsRecorder.TIMEOUT, received).isNotNull();
      return line;
    }

    List<String> received() {
      return List.copyOf(received);
    }

    boolean isClosed() {
      return closed;
    }

    private void readLoop() {
      try (BufferedReader in = lines(socket)) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          received.add(line);
          queue.add(line);
        }
      } catch (IOException e) {
        // Dropped: the same end as a close.
      } finally {
        closed = true;
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
