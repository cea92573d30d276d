package dev.reactivews.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.reactivews.storage.Storage;
import dev.reactivews.storage.StorageException;
import dev.reactivews.testing.WsRecorder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Redis stopped and started again under two running nodes, on the same port. */
@Timeout(120)
class RedisOutageTest {
  private static List<Integer> values(WsRecorder client, String key) {
    return client.received().stream()
        .map(WsRecorder::parse)
        .filter(m -> "news".equals(m.path("topic").asString()) && m.path("payload").has(key))
        .map(m -> m.path("payload").path(key).asInt())
        .toList();
  }

  @Test
  void localDeliveryGoesOnStorageFailsClearlyAndTheClusterHealsWithoutARestart() throws Exception {
    try (RedisServer redis = RedisServer.startNew();
        ClusterNode a = ClusterNode.start(redis.url(), Duration.ofSeconds(2));
        ClusterNode b = ClusterNode.start(redis.url(), Duration.ofSeconds(2))) {
      WsRecorder a1 = a.connect().subscribe("news");
      WsRecorder b1 = b.connect().subscribe("news");
      await().until(() -> redis.subscribers("reactive-ws:topic:news") == 2);
      Storage storageOfA = Storage.create(a.redis.storage(), "ws");
      storageOfA.setItem("chat", List.of("before"));

      redis.stop();

      assertThat(a.publish("news", Map.of("n", 1))).isEqualTo(1);
      a1.nextMatching(m -> m.path("payload").path("n").asInt() == 1);
      assertThat(b.publish("news", Map.of("n", 2))).isEqualTo(1);
      b1.nextMatching(m -> m.path("payload").path("n").asInt() == 2);
      assertThatThrownBy(() -> storageOfA.update("chat", List.class, list -> list))
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("Redis storage at 127.0.0.1:" + redis.port() + " could not read 'ws:chat'");
      // Marker: a local publish on each node after the one the other node could not carry.
      a.publish("news", Map.of("marker", 1));
      b.publish("news", Map.of("marker", 1));
      a1.nextMatching(m -> m.path("payload").has("marker"));
      b1.nextMatching(m -> m.path("payload").has("marker"));
      assertThat(values(a1, "n")).containsExactly(1);
      assertThat(values(b1, "n")).containsExactly(2);

      redis.start();

      // The nodes reconnect and subscribe again on their own; probe until a publish crosses.
      AtomicInteger probe = new AtomicInteger();
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
          .until(() -> {
            a.publish("news", Map.of("probe", probe.incrementAndGet()));
            return !values(b1, "probe").isEmpty();
          });
      a.publish("news", Map.of("n", 3));
      b.publish("news", Map.of("n", 4));
      await().until(() -> values(a1, "n").contains(4) && values(b1, "n").contains(3));
      a.publish("news", Map.of("marker", 2));
      b.publish("news", Map.of("marker", 2));
      for (WsRecorder client : List.of(a1, b1)) {
        await().until(() -> values(client, "marker").stream().filter(m -> m == 2).count() == 2);
      }
      assertThat(values(a1, "n")).containsExactlyInAnyOrder(1, 3, 4);
      assertThat(values(b1, "n")).containsExactlyInAnyOrder(2, 3, 4);

      // Redis came back empty: the nodes report their peers again, and storage works again.
      await().atMost(Duration.ofSeconds(30)).until(() -> redis.command("HLEN reactive-ws:presence").equals(":2"));
      assertThat(a.peerCount()).isEqualTo(2);
      assertThat(storageOfA.getItem("chat", List.class)).isNull();
      storageOfA.setItem("chat", List.of("after"));
      assertThat(Storage.create(b.redis.storage(), "ws").getItem("chat", List.class)).containsExactly("after");
    }
  }
}
