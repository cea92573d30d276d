package dev.reactivews.examples.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reactivews.netty.ReactiveWs;
import dev.reactivews.redis.RedisServer;
import dev.reactivews.testing.WsRecorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The chat as two nodes on one real Redis, started as a user would: {@code REDIS_URL} set. */
@Timeout(180)
class ChatClusterTest {
  private RedisServer redis;
  private ReactiveWs a;
  private ReactiveWs b;
  private final List<WsRecorder> clientsOfA = new ArrayList<>();
  private final List<WsRecorder> clientsOfB = new ArrayList<>();

  @BeforeEach
  void start() {
    redis = RedisServer.startNew();
    Map<String, String> environment = Map.of("REDIS_URL", redis.url(), "REDIS_PRESENCE_TTL", "2s");
    a = ChatApp.start(0, environment);
    b = ChatApp.start(0, environment);
  }

  @AfterEach
  void stop() {
    clientsOfA.forEach(WsRecorder::close);
    clientsOfB.forEach(WsRecorder::close);
    a.stop();
    b.stop();
    redis.close();
  }

  private WsRecorder connect(ReactiveWs node, List<WsRecorder> clients) {
    WsRecorder client = WsRecorder.connect(node.port(), "/_ws");
    clients.add(client);
    return client;
  }

  private static int users(WsRecorder client) {
    JsonNode session = client.state("session");
    return session == null ? -1 : session.path("users").asInt(-1);
  }

  /** The length of every chat list the client got, in order. */
  private static List<Integer> chatLengths(WsRecorder client) {
    return client.received().stream()
        .map(WsRecorder::parse)
        .filter(m -> "chat".equals(m.path("topic").asText()))
        .map(m -> m.path("payload").size())
        .toList();
  }

  private static boolean allSubscribed(ReactiveWs node, int peers) {
    return node.peers().size() == peers && node.peers().stream().allMatch(p -> p.topics().contains("chat"));
  }

  @Test
  void twoNodesTimesTenClientsTimesTwentyMessagesAtOnceEndEverywhereWithAllFourHundred() throws Exception {
    int perNode = 10;
    int perClient = 20;
    for (int i = 0; i < perNode; i++) {
      connect(a, clientsOfA).subscribe("chat");
      connect(b, clientsOfB).subscribe("chat");
    }
    await().until(() -> allSubscribed(a, perNode) && allSubscribed(b, perNode)
        && redis.subscribers("reactive-ws:topic:chat") == 2);
    List<WsRecorder> clients = new ArrayList<>(clientsOfA);
    clients.addAll(clientsOfB);

    ChatLoad.sendAtOnce(clients, perClient);

    int total = clients.size() * perClient;
    for (WsRecorder client : clients) {
      // The last chat state of every client, on either node, is the whole list.
      await().atMost(Duration.ofSeconds(60))
          .until(() -> client.state("chat") != null && client.state("chat").size() == total);
      Set<String> texts = new HashSet<>();
      client.state("chat").forEach(line -> texts.add(line.get("text").asText()));
      assertThat(texts).hasSize(total);
      // Lists from two nodes cross on the way; each node drops an older one, so none goes back.
      assertThat(chatLengths(client)).isSorted();
    }
    assertThat(a.storage("ws").getItem("chat", List.class)).hasSize(total);
    assertThat(b.storage("ws").getItem("chat", List.class)).hasSize(total);
  }

  @Test
  void theUserCountIsClusterWideThroughJoinsAndLeaves() {
    WsRecorder a1 = connect(a, clientsOfA);
    await().until(() -> users(a1) == 1);
    WsRecorder b1 = connect(b, clientsOfB);
    WsRecorder b2 = connect(b, clientsOfB);
    for (WsRecorder client : List.of(a1, b1, b2)) {
      await().until(() -> users(client) == 3);
    }
    b2.close();
    for (WsRecorder client : List.of(a1, b1)) {
      await().until(() -> users(client) == 2);
    }
    assertThat(a.peerCount()).isEqualTo(2);
    assertThat(b.peerCount()).isEqualTo(2);
  }

  @Test
  void aLineSentOnOneNodeIsHistoryOnTheOther() {
    WsRecorder writer = connect(a, clientsOfA).subscribe("chat");
    writer.publish("chat", "{\"text\":\"hello from A\"}");
    writer.nextState("chat");

    JsonNode history = connect(b, clientsOfB).nextState("chat");
    assertThat(history).hasSize(1);
    assertThat(history.get(0).get("text").asText()).isEqualTo("hello from A");
    assertThat(history.get(0).get("seq").asLong()).isEqualTo(1);
  }
}
