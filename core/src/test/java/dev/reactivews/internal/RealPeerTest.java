package dev.reactivews.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reactivews.SendOptions;
import dev.reactivews.UpgradeRequest;
import dev.reactivews.WsCloseStatus;
import dev.reactivews.WsConfig;
import dev.reactivews.WsHandler;
import dev.reactivews.transport.FakeSocket;
import dev.reactivews.transport.WsSocketListener;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A peer over a transport that, like a real one, stays open until the client answers a close. */
@Timeout(30)
class RealPeerTest {
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private Hub hub;

  @AfterEach
  void shutdown() throws InterruptedException {
    release.countDown();
    hub.shutdownHooks(Duration.ofSeconds(5));
  }

  private WsSocketListener open(WsConfig config, FakeSocket connection) {
    WsHandler handler = WsHandler.builder()
        .onOpen(peer -> release.await())
        .onMessage((peer, message) -> events.add("message " + message.text()))
        .onClose((peer, event) -> events.add("close " + event.code()))
        .build();
    hub = new Hub(config, handler);
    UpgradeRequest request = new UpgradeRequest(URI.create("/_ws"), Map.of(), new InetSocketAddress("127.0.0.1", 1));
    try {
      hub.upgrade(request);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    return hub.open(connection, request);
  }

  @Test
  void onceTheServerStartedClosingAPeerNothingMoreOfItReachesTheApp() {
    FakeSocket connection = new FakeSocket();
    WsSocketListener peer = open(WsConfig.builder().maxQueuedMessages(3).build(), connection);
    peer.onText("first");
    peer.onText("second");
    peer.onText("overflow");
    assertThat(connection.closeCode()).isEqualTo(WsCloseStatus.RATE_LIMITED.code());

    release.countDown();
    await().until(() -> events.contains("message second"));
    // Room again, but the close is under way: the client has not answered it yet.
    peer.onText("late");
    peer.onBinary(new byte[] {1});
    peer.onText("ping");
    peer.onClosed(WsCloseStatus.RATE_LIMITED.code(), "");
    await().until(() -> events.contains("close 4029"));
    assertThat(events).containsExactly("message first", "message second", "close 4029");
    assertThat(connection.written()).doesNotContain("pong");
  }

  @Test
  void aPeerNeverGetsAVersionedStateAsOldAsOneItHas() {
    release.countDown();
    FakeSocket connection = new FakeSocket();
    RealPeer peer = (RealPeer) open(WsConfig.defaultSettings(), connection);
    peer.subscribe("chat");

    assertThat(peer.sendState("chat", "v2", SendOptions.DEFAULT.withVersion(2))).isTrue();
    assertThat(hub.publish("chat", "v1", SendOptions.DEFAULT.withVersion(1))).isZero();   // older than the peer's
    assertThat(hub.publish("chat", "v3", SendOptions.DEFAULT.withVersion(3))).isEqualTo(1);
    assertThat(peer.sendState("chat", "v3 again", SendOptions.DEFAULT.withVersion(3))).isFalse();
    assertThat(hub.publish("chat", "late v2", SendOptions.DEFAULT.withVersion(2))).isZero();   // older than the node's
    assertThat(peer.sendState("chat", "unversioned", SendOptions.DEFAULT)).isTrue();

    assertThat(connection.written()).containsExactly(
        "{\"topic\":\"chat\",\"v\":2,\"payload\":\"v2\"}",
        "{\"topic\":\"chat\",\"v\":3,\"payload\":\"v3\"}",
        "{\"topic\":\"chat\",\"payload\":\"unversioned\"}");
  }

  @Test
  void aStateOfANewEpochIsTheNewestWhateverItsVersion() {
    release.countDown();
    FakeSocket connection = new FakeSocket();
    RealPeer peer = (RealPeer) open(WsConfig.defaultSettings(), connection);
    peer.subscribe("chat");

    assertThat(hub.publish("chat", "old set, v300", SendOptions.DEFAULT.withVersion(1, 300))).isEqualTo(1);
    assertThat(peer.sendState("chat", "new set, v1", SendOptions.DEFAULT.withVersion(2, 1))).isTrue();
    assertThat(hub.publish("chat", "new set, v2", SendOptions.DEFAULT.withVersion(2, 2))).isEqualTo(1);
    assertThat(hub.publish("chat", "new set, v2 again", SendOptions.DEFAULT.withVersion(2, 2))).isZero();
    assertThat(peer.sendState("chat", "new set, v1 again", SendOptions.DEFAULT.withVersion(2, 1))).isFalse();

    assertThat(connection.written()).containsExactly(
        "{\"topic\":\"chat\",\"v\":300,\"epoch\":\"1\",\"payload\":\"old set, v300\"}",
        "{\"topic\":\"chat\",\"v\":1,\"epoch\":\"2\",\"payload\":\"new set, v1\"}",
        "{\"topic\":\"chat\",\"v\":2,\"epoch\":\"2\",\"payload\":\"new set, v2\"}");
  }

  @Test
  void aFloodIsRefusedFromTheFirstMessageOverTheRate() {
    FakeSocket connection = new FakeSocket();
    release.countDown();
    WsSocketListener peer = open(WsConfig.builder().maxMessagesPerSecond(5).build(), connection);
    for (int i = 0; i < 20; i++) {
      peer.onText("m" + i);
    }
    assertThat(connection.closeCode()).isEqualTo(WsCloseStatus.RATE_LIMITED.code());
    peer.onClosed(WsCloseStatus.RATE_LIMITED.code(), "");
    await().until(() -> events.contains("close 4029"));
    assertThat(events).containsExactly("message m0", "message m1", "message m2", "message m3", "message m4",
        "close 4029");
  }
}
