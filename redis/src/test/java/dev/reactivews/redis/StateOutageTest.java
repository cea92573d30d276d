package dev.reactivews.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.reactivews.WsConfig;
import dev.reactivews.netty.NettyTransport;
import dev.reactivews.state.ListState;
import dev.reactivews.state.StateTopic;
import dev.reactivews.state.StateVersion;
import dev.reactivews.storage.StorageException;
import dev.reactivews.testing.TestServer;
import dev.reactivews.testing.WsRecorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/**
 * A state topic on two nodes over one Redis that goes away, comes back, or drops a node's
 * pub/sub connection mid-stream: every client ends on the newest state, never silently stale.
 */
@Timeout(120)
class StateOutageTest {
  private static final StateTopic CHAT = StateTopic.list("chat");

  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
  }

  private RedisServer redis() {
    RedisServer server = RedisServer.startNew();
    open.add(server);
    return server;
  }

  private TestServer node(RedisServer redis) {
    ReactiveWsRedis connections = ReactiveWsRedis.builder(redis.url()).connect();
    WsConfig ws = WsConfig.builder().states(CHAT).stateCheckInterval(Duration.ofMillis(500)).build();
    TestServer server = TestServer.of(NettyTransport.start(cfg -> cfg.ws(ws)
        .storage(connections.storage())
        .backplane(connections.backplane())
        .closeOnStop(connections)));
    open.add(server);
    return server;
  }

  private static ListState<String> chat(TestServer node) {
    return node.server().states().list("chat", String.class);
  }

  private static WsRecorder subscriber(TestServer node) {
    WsRecorder client = node.connect().subscribe("chat");
    client.nextState("chat");
    return client;
  }

  /** The client's last chat state frame, once it is at the version. */
  private static JsonNode awaitVersion(WsRecorder client, StateVersion version) {
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      JsonNode last = lastChat(client);
      return last != null && last.path("v").asLong() == version.number()
          && last.path("epoch").asString("0").equals(Long.toString(version.epoch()));
    });
    return lastChat(client);
  }

  private static JsonNode lastChat(WsRecorder client) {
    List<String> frames = client.received();
    for (int i = frames.size() - 1; i >= 0; i--) {
      JsonNode frame = WsRecorder.parse(frames.get(i));
      if ("chat".equals(frame.path("topic").asString())) {
        return frame;
      }
    }
    return null;
  }

  @Test
  void aRedisRestartedWithoutItsDataTakesEveryClientToTheEmptyListThenToTheNewEpoch() {
    RedisServer redis = redis();
    TestServer a = node(redis);
    TestServer b = node(redis);
    WsRecorder onA = subscriber(a);
    WsRecorder onB = subscriber(b);
    chat(a).append("1");
    StateVersion before = chat(b).append("2");
    awaitVersion(onA, before);
    awaitVersion(onB, before);

    redis.stop();
    assertThatThrownBy(() -> chat(a).append("lost")).isInstanceOf(StorageException.class);
    redis.start();

    // Nothing changes after the restart: only the nodes' own checks can show the data is gone.
    for (WsRecorder client : List.of(onA, onB)) {
      JsonNode emptied = awaitVersion(client, StateVersion.NONE);
      assertThat(emptied.path("payload").toString()).isEqualTo("[]");
    }
    StateVersion after = chat(b).append("3");
    assertThat(after.epoch()).isNotEqualTo(before.epoch());
    for (WsRecorder client : List.of(onA, onB)) {
      assertThat(awaitVersion(client, after).path("payload").toString()).isEqualTo("[\"3\"]");
    }
  }

  @Test
  void aNodeWhosePubSubConnectionIsKilledMidStreamEndsOnTheNewestState() {
    RedisServer redis = redis();
    TestServer a = node(redis);
    TestServer b = node(redis);
    WsRecorder onB = subscriber(b);
    StateVersion last = chat(a).append("0");
    awaitVersion(onB, last);

    redis.command("CLIENT KILL TYPE pubsub");
    for (int i = 1; i <= 20; i++) {
      last = chat(a).append(Integer.toString(i));
    }

    JsonNode newest = awaitVersion(onB, last);
    assertThat(newest.path("payload").size()).isEqualTo(21);
    assertThat(newest.path("payload").get(20).asString()).isEqualTo("20");
  }
}
