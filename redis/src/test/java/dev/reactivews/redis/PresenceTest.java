package dev.reactivews.redis;

import static dev.reactivews.redis.ClusterNode.users;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reactivews.testing.TcpProxy;
import dev.reactivews.testing.WsRecorder;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The cluster-wide user count, as nuxt-ws's {@code session} state shows it, across three nodes. */
@Timeout(120)
class PresenceTest {
  private static final Duration SHORT_TTL = Duration.ofSeconds(2);
  /** Far longer than any wait here: a node with it leaves the count only by stopping cleanly. */
  private static final Duration LONG_TTL = Duration.ofSeconds(120);

  @RegisterExtension
  static final RedisServer redis = RedisServer.perTestClass();


  private static void awaitUsers(int expected, List<WsRecorder> clients, ClusterNode... nodes) {
    for (WsRecorder client : clients) {
      await().atMost(Duration.ofSeconds(30)).until(() -> users(client) == expected);
    }
    for (ClusterNode node : nodes) {
      assertThat(node.peerCount()).isEqualTo(expected);
    }
  }

  @Test
  void countsPeersOfEveryNodeThroughJoinsLeavesACleanStopAndAKilledNode() throws Exception {
    redis.command("FLUSHALL");
    // C reaches Redis through a proxy: closing the proxy cuts C off as a crash or a partition would.
    try (TcpProxy toRedis = TcpProxy.start(redis.port());
        ClusterNode a = ClusterNode.start(redis.url(), SHORT_TTL);
        ClusterNode b = ClusterNode.start(redis.url(), LONG_TTL);
        ClusterNode c = ClusterNode.start("redis://127.0.0.1:" + toRedis.port(), SHORT_TTL)) {
      WsRecorder a1 = a.connect();
      awaitUsers(1, List.of(a1), a);

      WsRecorder b1 = b.connect();
      WsRecorder b2 = b.connect();
      awaitUsers(3, List.of(a1, b1, b2), a, b);

      WsRecorder c1 = c.connect();
      WsRecorder c2 = c.connect();
      WsRecorder c3 = c.connect();
      awaitUsers(6, List.of(a1, b1, b2, c1, c2, c3), a, b, c);

      b2.close();
      awaitUsers(5, List.of(a1, b1, c1, c2, c3), a, b, c);

      // Killed: C can no longer tell anyone; its three peers expire from the count on their own.
      toRedis.close();
      await().atMost(Duration.ofSeconds(30)).until(() -> c.peerCount() == 5 && redis.command("PING").equals("+PONG"));
      c.close();
      awaitUsers(2, List.of(a1, b1), a, b);

      // A clean stop takes B out at once, long before its 120 s TTL could.
      b.close();
      awaitUsers(1, List.of(a1), a);
    }
  }
}
