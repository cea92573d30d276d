package dev.reactivews.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reactivews.testing.LogCapture;
import dev.reactivews.testing.RawHttp;
import dev.reactivews.testing.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A route that takes its time: cut by the route timeout, never by the idle close. */
@Timeout(60)
class RouteTimeoutTest {
  private static final String SLOW = "GET /api/slow HTTP/1.1\r\nHost: x\r\n\r\n";

  private TestServer server;
  private final CountDownLatch slowRouteMayAnswer = new CountDownLatch(1);
  private final List<String> routeEvents = new CopyOnWriteArrayList<>();

  private void start(Consumer<ServerConfig> limits) {
    server = TestServer.of(NettyTransport.start(cfg -> {
      cfg.get("/api/slow", ctx -> {
        routeEvents.add("started");
        try {
          slowRouteMayAnswer.await();
        } catch (InterruptedException e) {
          routeEvents.add("interrupted");
          throw e;
        }
        return "slow";
      });
      cfg.get("/api/hello", ctx -> "hello");
      limits.accept(cfg);
    }));
  }

  @AfterEach
  void stop() throws Exception {
    slowRouteMayAnswer.countDown();
    server.close();
  }

  @Test
  void aRouteThatDoesNotAnswerWithinTheRouteTimeoutIs503AndItsThreadInterrupted() throws Exception {
    start(cfg -> cfg.routeTimeout(Duration.ofMillis(300)));
    try (LogCapture logs = LogCapture.start(); RawHttp client = RawHttp.connect(server.port())) {
      RawHttp.Response response = client.send(SLOW).readResponse();
      assertThat(response.status()).isEqualTo(503);
      assertThat(response.header("Connection")).isEqualTo("close");
      assertThat(client.awaitEndOfStream()).isTrue();
      await().until(() -> routeEvents.contains("interrupted"));
      await().until(() -> logs.text().contains("route GET /api/slow did not answer"));
      assertThat(logs.text()).contains("within 300 ms: answering 503");
    }
    assertThat(RawHttp.exchange(server.port(), "GET /api/hello HTTP/1.1\r\nHost: x\r\n\r\n").body()).isEqualTo("hello");
  }

  @Test
  void aRouteStillRunningAfterTheIdleTimeoutGetsItsAnswerOut() {
    start(cfg -> cfg.ws(ws -> ws.idleTimeout(Duration.ofMillis(600))));
    try (RawHttp slow = RawHttp.connect(server.port())) {
      slow.send(SLOW);
      await().until(() -> routeEvents.contains("started"));
      // The markers: each a connection opened later than the slow request's last byte and silent
      // since, closed by the idle close; after the second, the idle time has passed for the slow one.
      for (int marker = 0; marker < 2; marker++) {
        try (RawHttp idle = RawHttp.connect(server.port())) {
          assertThat(idle.awaitEndOfStream()).isTrue();
        }
      }
      slowRouteMayAnswer.countDown();
      RawHttp.Response response = slow.readResponse();
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("slow");
    }
  }
}
