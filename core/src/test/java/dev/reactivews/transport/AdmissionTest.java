package dev.reactivews.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.reactivews.UpgradeRejectedException;
import dev.reactivews.UpgradeRequest;
import dev.reactivews.WsCloseStatus;
import dev.reactivews.WsConfig;
import dev.reactivews.WsHandler;
import dev.reactivews.cluster.Presence;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The engine opens a peer only for a request its upgrade admitted, and a peer whose open fails
 * leaves nothing behind: no peer, no topic, no slot.
 */
@Timeout(30)
class AdmissionTest {
  private final List<String> hooks = new CopyOnWriteArrayList<>();
  private final AtomicBoolean presenceFails = new AtomicBoolean();
  private WsEngine engine;

  @AfterEach
  void stop() throws InterruptedException {
    engine.awaitHooks(Duration.ofSeconds(5));
  }

  /** A presence that fails, while {@link #presenceFails} is set, when told the local count changed. */
  private final Presence failingPresence = new Presence() {
    @Override
    public void start(IntSupplier localCount, Runnable othersChanged) {}

    @Override
    public void localChanged() {
      if (presenceFails.get()) {
        throw new IllegalStateException("presence down");
      }
    }

    @Override
    public int others() {
      return 0;
    }
  };

  private void start(WsConfig.Builder config) {
    WsHandler handler = WsHandler.builder()
        .onUpgrade(request -> {
          hooks.add("upgrade " + request.remoteAddress().getHostString());
          if (request.query("refuse") != null) {
            throw UpgradeRejectedException.forbidden();
          }
        })
        .onOpen(peer -> hooks.add("open"))
        .onClose((peer, event) -> hooks.add("close " + event.code()))
        .build();
    engine = WsEngine.builder(config.defaults("news").build(), handler).presence(failingPresence).build();
  }

  private static UpgradeRequest request(String host, String query) {
    return new UpgradeRequest(URI.create("/_ws" + query), Map.of(), new InetSocketAddress(host, 40000));
  }

  /** A handshake the engine admits, then its connection opened. */
  private WsSocketListener connect(FakeSocket connection, String host) throws Exception {
    UpgradeRequest request = request(host, "");
    engine.upgrade(request);
    return engine.open(connection, request);
  }

  private void assertNoPeerAndTheSlotIsFree() throws Exception {
    assertThat(engine.peers()).isEmpty();
    assertThat(engine.topicCount()).isZero();
    FakeSocket next = new FakeSocket();
    connect(next, "127.0.0.1");
    assertThat(next.isOpen()).isTrue();
    assertThat(engine.peers()).hasSize(1);
  }

  @Test
  void aConnectionWithoutARequestIsClosed1011AndNeverBecomesAPeer() throws Exception {
    start(WsConfig.builder().maxConnections(1));
    FakeSocket connection = new FakeSocket();

    WsSocketListener ignored = engine.open(connection, null);
    ignored.onText("{\"type\":\"subscribe\",\"topic\":\"chat\"}");
    ignored.onClosed(WsCloseStatus.INTERNAL_ERROR.code(), "internal error");

    assertThat(connection.closeCode()).isEqualTo(WsCloseStatus.INTERNAL_ERROR.code());
    assertThat(connection.written()).isEmpty();
    assertNoPeerAndTheSlotIsFree();
    await().until(() -> hooks.contains("open"));
    assertThat(hooks).containsExactly("upgrade 127.0.0.1", "open");
  }

  @Test
  void aRequestTheUpgradeNeverSawOrRefusedOpensNoPeer() throws Exception {
    start(WsConfig.builder().maxConnections(1));
    FakeSocket neverUpgraded = new FakeSocket();
    engine.open(neverUpgraded, request("127.0.0.1", ""));

    UpgradeRequest refused = request("127.0.0.1", "?refuse");
    assertThatThrownBy(() -> engine.upgrade(refused)).isInstanceOf(UpgradeRejectedException.class);
    FakeSocket afterRefusal = new FakeSocket();
    engine.open(afterRefusal, refused);

    assertThat(neverUpgraded.closeCode()).isEqualTo(WsCloseStatus.INTERNAL_ERROR.code());
    assertThat(afterRefusal.closeCode()).isEqualTo(WsCloseStatus.INTERNAL_ERROR.code());
    assertNoPeerAndTheSlotIsFree();
  }

  @Test
  void anAdmittedRequestOpensOnePeerOnly() throws Exception {
    start(WsConfig.builder());
    UpgradeRequest request = request("127.0.0.1", "");
    engine.upgrade(request);
    FakeSocket first = new FakeSocket();
    FakeSocket replayed = new FakeSocket();

    engine.open(first, request);
    engine.open(replayed, request);

    assertThat(first.isOpen()).isTrue();
    assertThat(replayed.closeCode()).isEqualTo(WsCloseStatus.INTERNAL_ERROR.code());
    assertThat(engine.peers()).hasSize(1);
  }

  @Test
  void aPeerWhoseOpenFailsIsRemovedCountedOutAndClosed1011WithoutReachingTheApp() throws Exception {
    start(WsConfig.builder().maxConnections(1).maxConnectionsPerAddress(1));
    presenceFails.set(true);
    FakeSocket failed = new FakeSocket();

    WsSocketListener listener = connect(failed, "127.0.0.1");
    listener.onText("{\"type\":\"publish\",\"topic\":\"news\",\"payload\":1}");
    listener.onClosed(WsCloseStatus.INTERNAL_ERROR.code(), "internal error");

    assertThat(failed.closeCode()).isEqualTo(WsCloseStatus.INTERNAL_ERROR.code());
    assertThat(failed.written()).isEmpty();
    presenceFails.set(false);
    assertNoPeerAndTheSlotIsFree();
    await().until(() -> hooks.contains("open"));
    assertThat(hooks).containsExactly("upgrade 127.0.0.1", "upgrade 127.0.0.1", "open");
  }

  @Test
  void aHandshakePastTheLimitOfItsAddressIsRefused429BeforeTheHookAndAClosedPeerFreesIt() throws Exception {
    start(WsConfig.builder().maxConnectionsPerAddress(2));
    WsSocketListener first = connect(new FakeSocket(), "127.0.0.1");
    connect(new FakeSocket(), "127.0.0.1");

    assertThatThrownBy(() -> engine.upgrade(request("127.0.0.1", "")))
        .isInstanceOfSatisfying(UpgradeRejectedException.class, e -> assertThat(e.status()).isEqualTo(429));
    FakeSocket otherAddress = new FakeSocket();
    connect(otherAddress, "127.0.0.2");
    assertThat(otherAddress.isOpen()).isTrue();
    assertThat(hooks.stream().filter(h -> h.startsWith("upgrade ")))
        .containsExactly("upgrade 127.0.0.1", "upgrade 127.0.0.1", "upgrade 127.0.0.2");

    first.onClosed(1000, "");
    FakeSocket again = new FakeSocket();
    connect(again, "127.0.0.1");
    assertThat(again.isOpen()).isTrue();
    assertThat(engine.peers()).hasSize(3);
  }

  @Test
  void aConnectionThatFindsItsAddressFullWhenItOpensIsClosed1013() throws Exception {
    start(WsConfig.builder().maxConnectionsPerAddress(1));
    UpgradeRequest early = request("127.0.0.1", "");
    UpgradeRequest late = request("127.0.0.1", "");
    engine.upgrade(early);
    engine.upgrade(late);
    engine.open(new FakeSocket(), early);

    FakeSocket refused = new FakeSocket();
    engine.open(refused, late);

    assertThat(refused.closeCode()).isEqualTo(WsCloseStatus.TRY_AGAIN_LATER.code());
    assertThat(engine.peers()).hasSize(1);
  }
}
