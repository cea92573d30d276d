package dev.reactivews.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reactivews.Peer;
import dev.reactivews.SendOptions;
import dev.reactivews.testing.LogCapture;
import dev.reactivews.testing.WsRecorder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two server nodes in one JVM, each with its own Redis connections, on one real Redis. */
@Timeout(90)
class BackplaneTest {
  @RegisterExtension
  static final RedisServer redis = RedisServer.perTestClass();

  private ClusterNode a;
  private ClusterNode b;

  @BeforeEach
  void startNodes() {
    redis.command("FLUSHALL");
    a = ClusterNode.start(redis.url(), Duration.ofSeconds(15));
    b = ClusterNode.start(redis.url(), Duration.ofSeconds(15));
  }

  @AfterEach
  void stopNodes() throws Exception {
    a.close();
    b.close();
  }

  private static String channel(String topic) {
    return "reactive-ws:topic:" + topic;
  }

  /** The {@code n} of every {@code news} state the client got, in order. */
  private static List<Integer> news(WsRecorder client) {
    return client.received().stream()
        .map(WsRecorder::parse)
        .filter(m -> "news".equals(m.path("topic").asString()) && m.path("payload").has("n"))
        .map(m -> m.path("payload").path("n").asInt())
        .toList();
  }

  /** Waits for a marker published from each node: whatever either node sent before has arrived. */
  private void awaitMarkers(WsRecorder... clients) {
    a.publish("news", Map.of("marker", "a"));
    b.publish("news", Map.of("marker", "b"));
    for (WsRecorder client : clients) {
      client.nextMatching(m -> "a".equals(m.path("payload").path("marker").asString()));
    }
    for (WsRecorder client : clients) {
      await().until(() -> client.received().stream().anyMatch(m -> m.contains("\"marker\":\"b\"")));
    }
  }

  @Test
  void aPublishReachesEverySubscriberOfEveryNodeExactlyOnce() {
    WsRecorder a1 = a.connect().subscribe("news");
    WsRecorder a2 = a.connect().subscribe("news");
    WsRecorder b1 = b.connect().subscribe("news");
    WsRecorder b2 = b.connect().subscribe("news");
    await().until(() -> redis.subscribers(channel("news")) == 2
        && a.server.server().peers().stream().allMatch(p -> p.topics().contains("news"))
        && b.server.server().peers().stream().allMatch(p -> p.topics().contains("news")));

    a1.publish("news", "{\"n\":1}");                    // a peer's publish: everyone but a1
    await().until(() -> news(b2).contains(1));
    assertThat(b.publish("news", Map.of("n", 2))).isEqualTo(2);   // the server-wide publisher of B
    a.publish("news", Map.of("n", 3));                  // and of A

    awaitMarkers(a1, a2, b1, b2);
    assertThat(news(a1)).containsExactlyInAnyOrder(2, 3);
    assertThat(news(a2)).containsExactlyInAnyOrder(1, 2, 3);
    assertThat(news(b1)).containsExactlyInAnyOrder(1, 2, 3);
    assertThat(news(b2)).containsExactlyInAnyOrder(1, 2, 3);
  }

  @Test
  void aNodeListensOnlyToTopicsItsPeersSubscribeTo() {
    assertThat(redis.subscribers(channel("room"))).isZero();
    WsRecorder b1 = b.connect().subscribe("room");
    await().until(() -> redis.subscribers(channel("room")) == 1);
    WsRecorder b2 = b.connect().subscribe("room");
    WsRecorder a1 = a.connect().subscribe("room");
    await().until(() -> redis.subscribers(channel("room")) == 2);
    await().until(() -> b.server.server().peers().stream().filter(p -> p.topics().contains("room")).count() == 2);
    assertThat(redis.subscribers(channel("room"))).isEqualTo(2);   // one per node, not per peer

    b1.send("{\"type\":\"unsubscribe\",\"topic\":\"room\"}");
    b2.close();
    await().until(() -> redis.subscribers(channel("room")) == 1);
    a1.close();
    await().until(() -> redis.subscribers(channel("room")) == 0);
  }

  @Test
  void everyNodeDropsAStateOlderThanOneItDelivered() {
    WsRecorder a1 = a.connect().subscribe("news");
    WsRecorder b1 = b.connect().subscribe("news");
    await().until(() -> redis.subscribers(channel("news")) == 2);

    a.server.server().publisher().publish("news", Map.of("n", 5), SendOptions.DEFAULT.withVersion(5));
    await().until(() -> news(b1).contains(5));
    // Published after 5 but older: a node that already delivered 5 drops it, here and there.
    assertThat(b.server.server().publisher().publish("news", Map.of("n", 4), SendOptions.DEFAULT.withVersion(4))).isZero();
    b.server.server().publisher().publish("news", Map.of("n", 6), SendOptions.DEFAULT.withVersion(6));

    awaitMarkers(a1, b1);
    assertThat(news(a1)).containsExactly(5, 6);
    assertThat(news(b1)).containsExactly(5, 6);
  }

  @Test
  void aVersionedStateReachesTheOtherNodeAsTheBytesItsOwnNodeWrote() {
    WsRecorder a1 = a.connect().subscribe("news");
    WsRecorder b1 = b.connect().subscribe("news");
    await().until(() -> redis.subscribers(channel("news")) == 2);

    a.server.server().publisher().publish("news", Map.of("n", 8), SendOptions.DEFAULT.withVersion(1733212800000L, 8));

    String written = "{\"topic\":\"news\",\"v\":8,\"epoch\":\"1733212800000\",\"payload\":{\"n\":8}}";
    awaitMarkers(a1, b1);
    for (WsRecorder client : List.of(a1, b1)) {
      assertThat(client.received()).filteredOn(frame -> frame.contains("\"n\":")).containsExactly(written);
    }
  }

  @Test
  void aMessageNoNodeSentIsDroppedAndDeliveryGoesOn() {
    WsRecorder b1 = b.connect().subscribe("news");
    await().until(() -> redis.subscribers(channel("news")) == 1);

    assertThat(redis.command("PUBLISH " + channel("news") + " not-from-a-node")).isEqualTo(":1");
    a.publish("news", Map.of("n", 1));

    awaitMarkers(b1);
    assertThat(news(b1)).containsExactly(1);
    assertThat(b1.received()).noneMatch(m -> m.contains("not-from-a-node"));
  }

  @Test
  void remoteFramesKeepTheirKind() {
    WsRecorder b1 = b.connect().subscribe("raw").subscribe("news");
    WsRecorder a1 = a.connect().subscribe("raw").subscribe("news");
    await().until(() -> redis.subscribers(channel("raw")) == 2 && redis.subscribers(channel("news")) == 2);
    a.server.server().peers().iterator().next().publish("raw", "plain text, not JSON");
    b1.nextMatching(m -> m.isString() && m.asString().equals("plain text, not JSON"));
    awaitMarkers(a1, b1);
    assertThat(a1.received()).noneMatch(m -> m.contains("plain text"));   // the publishing peer itself
  }

  /** The {@code n} of every state of the topic the client got, in order. */
  private static List<Integer> values(WsRecorder client, String topic) {
    return client.received().stream()
        .map(WsRecorder::parse)
        .filter(m -> topic.equals(m.path("topic").asString()) && m.path("payload").has("n"))
        .map(m -> m.path("payload").path("n").asInt())
        .toList();
  }

  /** The peer on B that is not one of {@code known}, once B has one more. */
  private Peer newPeerOfB(Set<Peer> known) {
    await().until(() -> b.server.server().peers().size() == known.size() + 1);
    Peer peer = b.server.server().peers().stream().filter(p -> !known.contains(p)).findFirst().orElseThrow();
    known.add(peer);
    return peer;
  }

  @Test
  void topicsThatDifferOnlyInALoneSurrogateKeepChannelsOfTheirOwn() {
    // The app's own peer.subscribe may use names a client may not; a String-to-UTF-8 conversion
    // would make both of these the channel "t?".
    String high = "t\uD800";
    String low = "t\uDC00";
    Set<Peer> known = new HashSet<>();
    WsRecorder b1 = b.connect();
    Peer onHigh = newPeerOfB(known);
    WsRecorder b2 = b.connect();
    Peer onLow = newPeerOfB(known);
    // "news" first, for the markers: SUBSCRIBEs go out in order, so it is on once these are.
    onHigh.subscribe("news");
    onLow.subscribe("news");
    onHigh.subscribe(high);
    onLow.subscribe(low);
    await().until(() -> {
      a.publish(high, Map.of("n", 0));
      a.publish(low, Map.of("n", 0));
      return !values(b1, high).isEmpty() && !values(b2, low).isEmpty();
    });

    onLow.unsubscribe(low);
    a.publish(high, Map.of("n", 1));
    a.publish(low, Map.of("n", 2));

    await().until(() -> values(b1, high).contains(1));
    awaitMarkers(b1, b2);
    assertThat(values(b1, low)).isEmpty();
    assertThat(values(b2, high)).isEmpty();
    assertThat(values(b2, low)).doesNotContain(2);
    assertThat(redis.subscribers(channel("t?"))).isZero();
  }

  @Test
  void aMessageOfTheFormatBeforeEpochsIsStillDelivered() {
    WsRecorder b1 = b.connect().subscribe("news");
    await().until(() -> redis.subscribers(channel("news")) == 1);
    byte[] frame = "{\"topic\":\"news\",\"payload\":{\"n\":7}}".getBytes(StandardCharsets.UTF_8);
    // Format 1: format, flags (text), node id, sequence number, version; then the frame.
    byte[] message = ByteBuffer.allocate(1 + 1 + 16 + 8 + 8 + frame.length)
        .put((byte) 1).put((byte) 1).putLong(42).putLong(43).putLong(1).putLong(0).put(frame)
        .array();

    assertThat(redis.publish(channel("news"), message)).isEqualTo(":1");

    await().until(() -> news(b1).contains(7));
    awaitMarkers(b1);
    assertThat(news(b1)).containsExactly(7);
  }

  @Test
  void aChannelNameInALogLineIsEscaped() {
    String topic = "news\nFORGED log line";
    WsRecorder b1 = b.connect();
    Peer peer = newPeerOfB(new HashSet<>());
    peer.subscribe(topic);

    try (LogCapture log = LogCapture.start()) {
      // Sent until node B listens to the channel and drops one.
      await().until(() -> {
        redis.publish(channel(topic), "not-from-a-node".getBytes(StandardCharsets.UTF_8));
        return log.text().contains("dropped a message on reactive-ws:topic:news\\u000aFORGED log line");
      });
      assertThat(log.lines()).noneMatch(line -> line.startsWith("FORGED"));
    }
    assertThat(b1.received()).noneMatch(m -> m.contains("not-from-a-node"));
  }
}
