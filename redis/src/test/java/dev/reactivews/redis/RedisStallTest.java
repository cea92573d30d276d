package dev.reactivews.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.reactivews.cluster.BackplaneOverloadedException;
import dev.reactivews.redis.internal.RedisBackplane;
import dev.reactivews.testing.LogCapture;
import dev.reactivews.testing.TcpProxy;
import dev.reactivews.testing.WsRecorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A Redis that stops answering (SIGSTOP), and one that drops the nodes' subscriptions. */
@Timeout(120)
class RedisStallTest {
  private static final String CHANNEL = "reactive-ws:topic:news";
  private static final int MAX_PENDING = 64 * 1024;
  private static final String PADDING = "x".repeat(1024);

  private static List<Integer> values(WsRecorder client) {
    return client.received().stream()
        .map(WsRecorder::parse)
        .filter(m -> "news".equals(m.path("topic").asString()) && m.path("payload").has("n"))
        .map(m -> m.path("payload").path("n").asInt())
        .toList();
  }

  private static long lines(LogCapture log, String level, String text) {
    return log.lines().stream().filter(line -> line.contains(level) && line.contains(text)).count();
  }

  @Test
  void publishesPastTheBoundFailLoudlyWhileRedisIsStalledAndTheRestArriveOnceItGoesOn() throws Exception {
    try (RedisServer redis = RedisServer.startNew();
        ClusterNode a = ClusterNode.start(ReactiveWsRedis.builder(redis.url())
            .maxPendingPublishBytes(MAX_PENDING)
            .healthCheckInterval(Duration.ofMillis(200)));
        ClusterNode b = ClusterNode.start(redis.url(), Duration.ofSeconds(15));
        LogCapture log = LogCapture.start()) {
      RedisBackplane backplane = (RedisBackplane) a.redis.backplane();
      WsRecorder a1 = a.connect().subscribe("news");
      WsRecorder b1 = b.connect().subscribe("news");
      await().until(() -> redis.subscribers(CHANNEL) == 2);

      redis.pause();
      List<Integer> accepted = new ArrayList<>();
      BackplaneOverloadedException refused = null;
      for (int n = 1; n <= 200 && refused == null; n++) {
        try {
          a.publish("news", Map.of("n", n, "padding", PADDING));
          accepted.add(n);
        } catch (BackplaneOverloadedException e) {
          refused = e;
        }
      }
      assertThat(refused).as("a publish past %d bytes waiting for Redis", MAX_PENDING).isNotNull()
          .hasMessageContaining("still wait for Redis at 127.0.0.1:" + redis.port())
          .hasMessageContaining("it reached no one");
      // What waits for Redis is bounded: what the node took, nothing more.
      assertThat(backplane.pendingBytes()).isPositive().isLessThanOrEqualTo(MAX_PENDING);
      assertThat(backplane.pendingPublishes()).isEqualTo(accepted.size());
      for (int n = 1000; n < 1010; n++) {
        int refusedN = n;
        assertThatThrownBy(() -> a.publish("news", Map.of("n", refusedN, "padding", PADDING)))
            .isInstanceOf(BackplaneOverloadedException.class);
      }
      assertThat(backplane.pendingPublishes()).isEqualTo(accepted.size());
      await().until(() -> lines(log, "WARN", "Redis at 127.0.0.1:" + redis.port() + " has not answered") == 1);

      redis.resume();

      await().until(() -> backplane.pendingPublishes() == 0 && backplane.pendingBytes() == 0);
      await().until(() -> values(b1).size() == accepted.size());
      await().until(() -> lines(log, "INFO", "Redis at 127.0.0.1:" + redis.port() + " answers again") == 1);
      // Marker: a publish after the burst, so anything more of it would have arrived before.
      a.publish("news", Map.of("marker", 1));
      b1.nextMatching(m -> m.path("payload").has("marker"));
      a1.nextMatching(m -> m.path("payload").has("marker"));
      assertThat(values(b1)).containsExactlyElementsOf(accepted);
      assertThat(values(a1)).as("refused publishes reach this node's subscribers neither")
          .containsExactlyElementsOf(accepted);
      assertThat(lines(log, "ERROR", "still wait for Redis")).as("refusals are logged at a bounded rate").isEqualTo(1);
    }
  }

  @Test
  void aDroppedSubscriptionIsLoggedAndResubscribedAndPublishesArriveAgain() throws Exception {
    try (RedisServer redis = RedisServer.startNew();
        ClusterNode a = ClusterNode.start(redis.url(), Duration.ofSeconds(15));
        ClusterNode b = ClusterNode.start(redis.url(), Duration.ofSeconds(15));
        LogCapture log = LogCapture.start()) {
      WsRecorder a1 = a.connect().subscribe("news");
      WsRecorder b1 = b.connect().subscribe("news");
      await().until(() -> redis.subscribers(CHANNEL) == 2);
      a.publish("news", Map.of("n", 1));
      b1.nextMatching(m -> m.path("payload").path("n").asInt() == 1);

      // What Redis does to a subscriber past its output buffer limit.
      assertThat(redis.command("CLIENT KILL TYPE pubsub")).isEqualTo(":2");

      String address = "Redis at 127.0.0.1:" + redis.port();
      await().until(() -> lines(log, "WARN", "lost the pub/sub connection to " + address) == 2);
      await().until(() -> lines(log, "INFO", "pub/sub connection to " + address + " is back") == 2);
      await().until(() -> redis.subscribers(CHANNEL) == 2);
      a.publish("news", Map.of("n", 2));
      b.publish("news", Map.of("n", 3));
      // Markers: each node's publishes keep their order, so its marker comes after its n.
      a.publish("news", Map.of("marker", "a"));
      b.publish("news", Map.of("marker", "b"));
      for (WsRecorder client : List.of(a1, b1)) {
        await().until(() -> client.received().stream().filter(m -> m.contains("\"marker\"")).count() == 2);
      }
      assertThat(values(b1)).containsExactlyInAnyOrder(1, 2, 3);
      assertThat(values(a1)).containsExactlyInAnyOrder(1, 2, 3);
    }
  }

  @Test
  void aPubSubConnectionThatFallsSilentWhileRedisAnswersIsDroppedAndResubscribed() throws Exception {
    try (RedisServer redis = RedisServer.startNew();
        TcpProxy proxy = TcpProxy.start(redis.port());
        ClusterNode a = ClusterNode.start(ReactiveWsRedis.builder("redis://127.0.0.1:" + proxy.port())
            .healthCheckInterval(Duration.ofMillis(200)));
        ClusterNode b = ClusterNode.start(redis.url(), Duration.ofSeconds(15));
        LogCapture log = LogCapture.start()) {
      WsRecorder a1 = a.connect().subscribe("news");
      await().until(() -> redis.subscribers(CHANNEL) == 1);

      // The node connects for commands first, then for pub/sub: the second connection.
      proxy.silenceConnection(1);

      String address = "Redis at 127.0.0.1:" + proxy.port();
      await().until(() -> lines(log, "WARN", "the pub/sub connection to " + address + " has not answered") == 1);
      await().until(() -> lines(log, "INFO", "pub/sub connection to " + address + " is back") == 1);
      // Redis still counts the silent connection (half-open, its socket stays), and the new one.
      await().until(() -> redis.subscribers(CHANNEL) == 2);
      b.publish("news", Map.of("n", 1));
      a1.nextMatching(m -> m.path("payload").path("n").asInt() == 1);
      b.publish("news", Map.of("marker", 1));
      a1.nextMatching(m -> m.path("payload").has("marker"));
      assertThat(values(a1)).containsExactly(1);
      assertThat(lines(log, "WARN", "publishes wait for it")).as("Redis itself answered: no stall logged").isZero();
    }
  }
}
