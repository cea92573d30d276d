package dev.reactivews.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reactivews.testing.LogCapture;
import dev.reactivews.testing.RawHttp;
import dev.reactivews.testing.TestServer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The embedded server's time and size limits on HTTP requests, each tested by sending what passes it. */
@Timeout(60)
class HttpRequestLimitsTest {
  private static final Duration HEAD_TIMEOUT = Duration.ofMillis(300);
  /** Longer than {@link #HEAD_TIMEOUT}: long enough for a limit that would strike to have struck. */
  private static final Duration QUIET_PERIOD = Duration.ofMillis(800);
  /** How often a trickling client sends its next byte: well within the head timeout, so only that timeout ends it. */
  private static final long TRICKLE_PAUSE_MILLIS = 50;
  private static final String HELLO = "GET /api/hello HTTP/1.1\r\nHost: x\r\n\r\n";

  private TestServer server;

  private void start(Consumer<ServerConfig> limits) {
    server = TestServer.of(NettyTransport.start(cfg -> {
      cfg.get("/api/hello", ctx -> "hello");
      cfg.post("/api/size", ctx -> String.valueOf(ctx.body().length()));
      limits.accept(cfg);
    }));
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  @Test
  void aHeadTrickledAByteAtATimeIs408AtTheHeadTimeoutAndLogged() throws Exception {
    start(cfg -> cfg.requestHeadTimeout(HEAD_TIMEOUT));
    try (LogCapture logs = LogCapture.start(); RawHttp slow = RawHttp.connect(server.port())) {
      slow.send("GET /api/hello HTTP/1.1\r\nHost: x\r\n");
      AtomicBoolean answered = new AtomicBoolean();
      AtomicInteger trickled = new AtomicInteger();
      Thread trickler = Thread.ofVirtual().start(() -> {
        // Each byte keeps the connection from ever being silent, as a slowloris client does.
        while (!answered.get() && slow.trySend("X")) {
          trickled.incrementAndGet();
          try {
            Thread.sleep(TRICKLE_PAUSE_MILLIS);
          } catch (InterruptedException e) {
            return;
          }
        }
      });
      RawHttp.Response response = slow.readResponse();
      answered.set(true);
      trickler.join();
      assertThat(response.status()).isEqualTo(408);
      assertThat(response.header("Connection")).isEqualTo("close");
      assertThat(slow.awaitEndOfStream()).isTrue();
      assertThat(trickled.get()).as("bytes sent before the answer, one per pause").isGreaterThan(1);
      await().until(() -> logs.text().contains("answering 408"));
      assertThat(logs.text()).contains("the request head was not complete after 300 ms");
    }
    assertThat(RawHttp.exchange(server.port(), HELLO).status()).isEqualTo(200);
  }

  @Test
  void aConnectionThatSendsNothingIs408AtTheHeadTimeout() {
    start(cfg -> cfg.requestHeadTimeout(HEAD_TIMEOUT));
    try (RawHttp silent = RawHttp.connect(server.port())) {
      assertThat(silent.readResponse().status()).isEqualTo(408);
      assertThat(silent.awaitEndOfStream()).isTrue();
    }
  }

  @Test
  void aKeptAliveConnectionWaitingForItsNextRequestIsNotCutByTheHeadTimeout() {
    start(cfg -> cfg.requestHeadTimeout(HEAD_TIMEOUT));
    try (RawHttp client = RawHttp.connect(server.port())) {
      assertThat(client.send(HELLO).readResponse().status()).isEqualTo(200);
      await().pollDelay(QUIET_PERIOD).until(() -> true);
      RawHttp.Response second = client.send(HELLO).readResponse();
      assertThat(second.status()).isEqualTo(200);
      assertThat(second.body()).isEqualTo("hello");
    }
  }

  @Test
  void theHeadTimeoutStartsAgainWithTheNextRequestsFirstByte() {
    start(cfg -> cfg.requestHeadTimeout(HEAD_TIMEOUT));
    try (RawHttp client = RawHttp.connect(server.port())) {
      assertThat(client.send(HELLO).readResponse().status()).isEqualTo(200);
      await().pollDelay(QUIET_PERIOD).until(() -> true);
      client.send("GET /api/hello HTTP/1.1\r\n");
      assertThat(client.readResponse().status()).isEqualTo(408);
    }
  }

  private static String post(int bodyBytes, String body) {
    return "POST /api/size HTTP/1.1\r\nHost: x\r\nContent-Length: " + bodyBytes + "\r\n\r\n" + body;
  }

  @Test
  void aBodyDeclaredLargerThanTheMaximumIs413BeforeItIsSent() {
    start(cfg -> cfg.maxRequestBodyBytes(1000));
    try (RawHttp client = RawHttp.connect(server.port())) {
      RawHttp.Response response = client.send(post(1001, "")).readResponse();
      assertThat(response.status()).isEqualTo(413);
      assertThat(response.header("Connection")).isEqualTo("close");
      assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
      assertThat(client.awaitEndOfStream()).isTrue();
    }
    RawHttp.Response atTheMaximum = RawHttp.exchange(server.port(), post(1000, "x".repeat(1000)));
    assertThat(atTheMaximum.status()).isEqualTo(200);
    assertThat(atTheMaximum.body()).isEqualTo("1000");
  }

  @Test
  void aStreamedBodyThatGrowsPastTheMaximumIs413() {
    start(cfg -> cfg.maxRequestBodyBytes(1000));
    String chunk = Integer.toHexString(600) + "\r\n" + "x".repeat(600) + "\r\n";
    try (RawHttp client = RawHttp.connect(server.port())) {
      client.send("POST /api/size HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk);
      client.trySend(chunk);
      assertThat(client.readResponse().status()).isEqualTo(413);
      assertThat(client.awaitEndOfStream()).isTrue();
    }
    RawHttp.Response small = RawHttp.exchange(server.port(),
        "POST /api/size HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk + "0\r\n\r\n");
    assertThat(small.body()).isEqualTo("600");
  }

  @Test
  void aBodyThatWouldTakeTheBodiesInFlightPastTheirMaximumIs503AndTheOneHeldStillArrives() {
    start(cfg -> cfg.maxRequestBodyBytes(800).maxRequestBodiesInFlight(1000));
    try (RawHttp held = RawHttp.connect(server.port())) {
      held.send(post(800, "x".repeat(700)));
      // The held body takes 700 bytes once the server has read it; from then on 400 more do not fit.
      AtomicInteger refused = new AtomicInteger();
      await().until(() -> {
        RawHttp.Response other = RawHttp.exchange(server.port(), post(400, "y".repeat(400)));
        if (other.status() == 503) {
          assertThat(other.header("Retry-After")).isEqualTo("5");
          refused.incrementAndGet();
          return true;
        }
        assertThat(other.status()).isEqualTo(200);
        return false;
      });
      assertThat(refused.get()).isOne();
      RawHttp.Response completed = held.send("x".repeat(100)).readResponse();
      assertThat(completed.status()).isEqualTo(200);
      assertThat(completed.body()).isEqualTo("800");
    }
    assertThat(RawHttp.exchange(server.port(), post(400, "y".repeat(400))).status()).isEqualTo(200);
  }

  @Test
  void aRequestWhoseBodyTricklesInPastTheRequestTimeoutIs408() throws Exception {
    start(cfg -> cfg.requestTimeout(Duration.ofMillis(400)));
    try (LogCapture logs = LogCapture.start(); RawHttp slow = RawHttp.connect(server.port())) {
      slow.send(post(1000, ""));
      AtomicBoolean answered = new AtomicBoolean();
      Thread trickler = Thread.ofVirtual().start(() -> {
        while (!answered.get() && slow.trySend("x")) {
          try {
            Thread.sleep(TRICKLE_PAUSE_MILLIS);
          } catch (InterruptedException e) {
            return;
          }
        }
      });
      RawHttp.Response response = slow.readResponse();
      answered.set(true);
      trickler.join();
      assertThat(response.status()).isEqualTo(408);
      assertThat(slow.awaitEndOfStream()).isTrue();
      await().until(() -> logs.text().contains("the request was not complete after 400 ms"));
    }
  }
}
