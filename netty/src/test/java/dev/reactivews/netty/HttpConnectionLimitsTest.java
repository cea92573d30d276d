package dev.reactivews.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reactivews.testing.LogCapture;
import dev.reactivews.testing.RawHttp;
import dev.reactivews.testing.TestServer;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The embedded server's caps on open HTTP connections, overall and per client address. */
@Timeout(60)
class HttpConnectionLimitsTest {
  private static final String HELLO = "GET /api/hello HTTP/1.1\r\nHost: x\r\n\r\n";
  /** A head that never ends: the connection stays an unfinished HTTP request. */
  private static final String UNFINISHED_HEAD = "GET /api/hello HTTP/1.1\r\nHost: x\r\n";

  private TestServer server;
  private final List<RawHttp> held = new ArrayList<>();

  private void start(Consumer<ServerConfig> limits) {
    server = TestServer.of(NettyTransport.start(cfg -> {
      cfg.get("/api/hello", ctx -> "hello");
      limits.accept(cfg);
    }));
  }

  @AfterEach
  void stop() throws Exception {
    held.forEach(RawHttp::close);
    server.close();
  }

  /** Opens a connection from the address that starts a request and never finishes its head. */
  private RawHttp hold(InetAddress from) {
    RawHttp connection = RawHttp.connect(server.port(), from).send(UNFINISHED_HEAD);
    held.add(connection);
    return connection;
  }

  /** Whether a new connection from the address gets its answer; a refused one is closed unanswered. */
  private boolean isServed(InetAddress from) {
    try (RawHttp client = RawHttp.connect(server.port(), from)) {
      if (!client.trySend(HELLO)) {
        return false;
      }
      try {
        return client.readResponse().status() == 200;
      } catch (RuntimeException closedUnanswered) {
        return false;
      }
    }
  }

  @Test
  void pastMaxHttpConnectionsANewConnectionIsClosedAtOnceAndLoggedUntilOneCloses() throws Exception {
    start(cfg -> cfg.maxHttpConnections(3).maxHttpConnectionsPerAddress(0));
    try (LogCapture logs = LogCapture.start()) {
      RawHttp first = hold(null);
      hold(null);
      hold(null);
      // A held connection counts once its event loop has set it up, which may come after the
      // next connection's: until then that one is served (and leaves the count as it closes).
      await().until(() -> !isServed(null));
      await().until(() -> logs.text().contains("3 HTTP connections are open (maxHttpConnections)"));

      first.close();
      await().until(() -> isServed(null));
    }
  }

  @Test
  void pastMaxHttpConnectionsPerAddressOnlyThatAddressIsRefused() throws Exception {
    start(cfg -> cfg.maxHttpConnectionsPerAddress(2));
    InetAddress one = InetAddress.getByName("127.0.0.1");
    InetAddress other = InetAddress.getByName("127.0.0.2");
    try (LogCapture logs = LogCapture.start()) {
      RawHttp first = hold(one);
      hold(one);
      await().until(() -> !isServed(one));
      assertThat(isServed(other)).isTrue();
      await().until(() -> logs.text().contains("2 HTTP connections from that address are open"));

      first.close();
      await().until(() -> isServed(one));
    }
  }

  @Test
  void anUpgradedConnectionLeavesTheHttpCount() {
    start(cfg -> cfg.maxHttpConnections(2).maxHttpConnectionsPerAddress(0));
    server.connect().send("ping");
    server.connect().send("ping");
    await().until(() -> server.server().peers().size() == 2);
    hold(null);
    assertThat(isServed(null)).as("the held connection and this one make the cap; the peers count no more").isTrue();
  }
}
