package dev.reactivews.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reactivews.UpgradeRejectedException;
import dev.reactivews.testing.LogCapture;
import dev.reactivews.testing.RawHttp;
import dev.reactivews.testing.RawWebSocket;
import dev.reactivews.testing.WsTransport;
import dev.reactivews.testing.suite.UpgradeSuite;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The upgrade suite on Netty, and the exact answers Netty gives a request that is no RFC 6455 handshake. */
class NettyUpgradeTest extends UpgradeSuite {
  private static final String KEY = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
  private static final String UPGRADE = "Upgrade: websocket\r\nConnection: Upgrade\r\n";

  @Override
  protected WsTransport transport() {
    return new NettyTransport();
  }

  private RawHttp.Response answer(String method, String headers) {
    return RawHttp.exchange(server.port(), method + " /_ws HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + "\r\n");
  }

  @Test
  void aRequestWithoutUpgradeWebsocketIs426NamingWhatWouldBeAccepted() {
    start(request -> log.add("upgrade"));
    for (String headers : new String[] {
        KEY + "Connection: keep-alive\r\nSec-WebSocket-Version: 8\r\n",
        KEY + "Connection: keep-alive\r\nSec-WebSocket-Version: 7\r\n",
        KEY + "Connection: Upgrade\r\nUpgrade: h2c\r\nSec-WebSocket-Version: 8\r\n",
        KEY + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n",
        KEY + "Upgrade: websocket\r\nConnection: keep-alive\r\nSec-WebSocket-Version: 13\r\n",
        ""}) {
      RawHttp.Response response = answer("GET", headers);
      assertThat(response.status()).as(headers).isEqualTo(426);
      assertThat(response.header("Upgrade")).as(headers).isEqualTo("websocket");
      assertThat(response.header("Sec-WebSocket-Version")).as(headers).isEqualTo("13");
      assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
    }
    assertThat(log.events()).isEmpty();
    assertThat(server.server().peers()).isEmpty();
  }

  @Test
  void aWrongOrMissingVersionIs426WithVersion13() {
    start(request -> log.add("upgrade"));
    for (String version : new String[] {"Sec-WebSocket-Version: 8\r\n", "Sec-WebSocket-Version: 7\r\n",
        "Sec-WebSocket-Version: 14\r\n", "", "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Version: 8\r\n"}) {
      RawHttp.Response response = answer("GET", UPGRADE + KEY + version);
      assertThat(response.status()).as(version).isEqualTo(426);
      assertThat(response.header("Sec-WebSocket-Version")).as(version).isEqualTo("13");
    }
    assertThat(log.events()).isEmpty();
  }

  @Test
  void aMissingOrBadKeyIs400() {
    start(request -> log.add("upgrade"));
    for (String key : new String[] {"", "Sec-WebSocket-Key: not base64!\r\n", "Sec-WebSocket-Key: c2hvcnQ=\r\n",
        KEY + KEY}) {
      assertThat(answer("GET", UPGRADE + "Sec-WebSocket-Version: 13\r\n" + key).status()).as(key).isEqualTo(400);
    }
    assertThat(log.events()).isEmpty();
  }

  @Test
  void aHandshakeThatIsNotAGetIs405() {
    start(request -> log.add("upgrade"));
    RawHttp.Response response = answer("POST", UPGRADE + KEY + "Sec-WebSocket-Version: 13\r\nContent-Length: 0\r\n");
    assertThat(response.status()).isEqualTo(405);
    assertThat(response.header("Allow")).isEqualTo("GET");
    assertThat(log.events()).isEmpty();
  }

  @Test
  void upgradeAndConnectionAreTokensOfAnyCase() {
    start(request -> log.add("upgrade"));
    try (RawWebSocket raw = RawWebSocket.connect(server.port(), "/_ws", Map.of())) {
      assertThat(raw.status()).isEqualTo(101);
    }
    assertThat(answer("GET", "Upgrade: WebSocket\r\nConnection: keep-alive, UPGRADE\r\n" + KEY
        + "Sec-WebSocket-Version: 13\r\n").status()).isEqualTo(101);
    log.awaitEvent("open");
  }

  @Test
  void clientTextInTheUpgradeLogLinesIsEscaped() {
    start(request -> {
      throw new UpgradeRejectedException(403, "no room " + request.query("room"));
    });
    try (LogCapture logs = LogCapture.start()) {
      try (RawWebSocket raw = RawWebSocket.connect(server.port(), "/_ws?room=a%0AERROR%20forged", Map.of())) {
        assertThat(raw.status()).isEqualTo(403);
      }
      await().until(() -> logs.text().contains("no room a\\u000aERROR forged"));
      assertThat(logs.lines()).noneMatch(line -> line.startsWith("ERROR forged"));
    }
  }

  @Test
  void anUpgradeHookThatNeverReturnsIsCutByTheIdleCloseUnlikeARoute() throws Exception {
    CountDownLatch hookMayReturn = new CountDownLatch(1);
    start(config -> config.idleTimeout(Duration.ofMillis(600)), request -> hookMayReturn.await());
    try (RawHttp handshake = RawHttp.connect(server.port())) {
      handshake.send("GET /_ws HTTP/1.1\r\nHost: 127.0.0.1\r\n" + UPGRADE + KEY + "Sec-WebSocket-Version: 13\r\n\r\n");
      assertThat(handshake.awaitEndOfStream()).isTrue();
    } finally {
      hookMayReturn.countDown();
    }
    assertThat(server.server().peers()).isEmpty();
  }

  /** Long enough for a second upgrade hook, were one started, to have run. */
  private static final Duration QUIET_PERIOD = Duration.ofMillis(300);

  @Test
  void aHandshakePipelinedBehindAnotherNeverReachesTheUpgradeHook() {
    start(request -> log.add("upgrade " + request.query("n")));
    String handshake = " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + UPGRADE + KEY + "Sec-WebSocket-Version: 13\r\n\r\n";
    try (RawHttp client = RawHttp.connect(server.port())) {
      assertThat(client.send("GET /_ws?n=1" + handshake + "GET /_ws?n=2" + handshake).readResponse().status())
          .isEqualTo(101);
      log.awaitEvent("open");
      await().pollDelay(QUIET_PERIOD).until(() -> true);
      assertThat(log.eventsStartingWith("upgrade ")).containsExactly("upgrade 1");
      assertThat(server.server().peers()).hasSize(1);
    }
  }
}
