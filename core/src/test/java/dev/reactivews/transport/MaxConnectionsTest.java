package dev.reactivews.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.reactivews.UpgradeRejectedException;
import dev.reactivews.UpgradeRequest;
import dev.reactivews.WsCloseStatus;
import dev.reactivews.WsConfig;
import dev.reactivews.WsHandler;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The engine holds a server to {@link WsConfig#maxConnections()} whatever the transport. */
@Timeout(30)
class MaxConnectionsTest {
  private final AtomicInteger upgradeHooks = new AtomicInteger();
  private final AtomicInteger openHooks = new AtomicInteger();
  private final CountDownLatch slowUpgrade = new CountDownLatch(1);
  private WsEngine engine;

  @AfterEach
  void stop() throws InterruptedException {
    slowUpgrade.countDown();
    engine.awaitHooks(Duration.ofSeconds(5));
  }

  private WsEngine start(int maxConnections) {
    WsHandler handler = WsHandler.builder()
        .onUpgrade(request -> {
          upgradeHooks.incrementAndGet();
          if (request.query("slow") != null) {
            slowUpgrade.await();
          }
        })
        .onOpen(peer -> openHooks.incrementAndGet())
        .build();
    engine = WsEngine.create(WsConfig.builder().maxConnections(maxConnections).build(), handler);
    return engine;
  }

  private static UpgradeRequest request(String query) {
    return new UpgradeRequest(URI.create("/_ws" + query), Map.of(), new InetSocketAddress("127.0.0.1", 1));
  }

  /** A handshake the engine accepts, then its connection opened. */
  private WsSocketListener connect(FakeSocket connection) throws Exception {
    UpgradeRequest request = request("");
    engine.upgrade(request);
    return engine.open(connection, request);
  }

  private void assertRefused503(UpgradeRequest request) {
    assertThatThrownBy(() -> engine.upgrade(request))
        .isInstanceOfSatisfying(UpgradeRejectedException.class, e -> assertThat(e.status()).isEqualTo(503));
  }

  @Test
  void aHandshakePastTheLimitIsRefused503BeforeTheUpgradeHookAndAClosedPeerFreesItsSlot() throws Exception {
    start(2);
    WsSocketListener first = connect(new FakeSocket());
    connect(new FakeSocket());
    assertRefused503(request(""));
    assertThat(upgradeHooks).hasValue(2);
    assertThat(engine.peers()).hasSize(2);

    first.onClosed(1000, "");
    FakeSocket third = new FakeSocket();
    connect(third);
    assertThat(third.isOpen()).isTrue();
    assertThat(engine.peers()).hasSize(2);
    await().until(() -> openHooks.get() == 3);
  }

  @Test
  void aHandshakeWhoseUpgradeHookIsStillRunningTakesASlot() throws Exception {
    start(1);
    Thread slow = Thread.ofVirtual().start(() -> {
      try {
        engine.upgrade(request("?slow"));
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
    await().until(() -> upgradeHooks.get() == 1);
    assertRefused503(request(""));

    slowUpgrade.countDown();
    slow.join();
    // The slow one was accepted but never opened (its client went away): it holds no slot.
    connect(new FakeSocket());
    assertThat(engine.peers()).hasSize(1);
  }

  @Test
  void aConnectionThatFindsTheServerFullWhenItOpensIsClosed1013AndNeverBecomesAPeer() throws Exception {
    start(1);
    UpgradeRequest early = request("");
    UpgradeRequest late = request("");
    engine.upgrade(early);
    engine.upgrade(late);
    engine.open(new FakeSocket(), early);

    FakeSocket refused = new FakeSocket();
    WsSocketListener ignored = engine.open(refused, late);
    assertThat(refused.closeCode()).isEqualTo(WsCloseStatus.TRY_AGAIN_LATER.code());
    ignored.onText("{\"type\":\"subscribe\",\"topic\":\"chat\"}");
    ignored.onClosed(WsCloseStatus.TRY_AGAIN_LATER.code(), "server full");
    assertThat(refused.written()).isEmpty();
    assertThat(engine.peers()).hasSize(1);
    assertThat(engine.topicCount()).isZero();
    // Its end freed nothing: the server is still full.
    assertRefused503(request(""));
    await().until(() -> openHooks.get() == 1);
  }

  @Test
  void zeroMeansNoLimit() throws Exception {
    start(0);
    for (int i = 0; i < 100; i++) {
      connect(new FakeSocket());
    }
    assertThat(engine.peers()).hasSize(100);
  }
}
