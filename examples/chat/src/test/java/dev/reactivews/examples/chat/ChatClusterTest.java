package dev.reactivews.examples.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reactivews.examples.chathandler.ChatHandler;
import dev.reactivews.examples.chathandler.ChatLoad;
import dev.reactivews.netty.ReactiveWs;
import dev.reactivews.redis.RedisServer;
import dev.reactivews.testing.LogCapture;
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
import tools.jackson.databind.JsonNode;

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
        .filter(m -> "chat".equals(m.path("topic").asString()))
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
      client.state("chat").forEach(line -> texts.add(line.get("text").asString()));
      assertThat(texts).hasSize(total);
      // Lists from two nodes cross on the way; each node drops an older one, so none goes back.
      assertThat(chatLengths(client)).isSorted();
    }
    assertThat(a.storage("ws").getItem("chat", ChatHandler.ChatLog.class).lines()).hasSize(total);
    assertThat(b.storage("ws").getItem("chat", ChatHandler.ChatLog.class).lines()).hasSize(total);
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
    assertThat(history.get(0).get("text").asString()).isEqualTo("hello from A");
    assertThat(history.get(0).get("seq").asLong()).isEqualTo(1);
  }

  /** The texts of the client's last chat state, in order. */
  private static List<String> texts(WsRecorder client) {
    JsonNode chat = client.state("chat");
    List<String> texts = new ArrayList<>();
    if (chat != null) {
      chat.forEach(line -> texts.add(line.get("text").asString()));
    }
    return texts;
  }

  @Test
  void afterRedisLosesItsDataTheNewHistoryReachesEveryNodeAndTheResetIsLogged() {
    WsRecorder writer = connect(a, clientsOfA).subscribe("chat");
    WsRecorder reader = connect(b, clientsOfB).subscribe("chat");
    await().until(() -> allSubscribed(a, 1) && allSubscribed(b, 1)
        && redis.subscribers("reactive-ws:topic:chat") == 2);
    for (int i = 1; i <= 5; i++) {
      writer.publish("chat", "{\"text\":\"old " + i + "\"}");
    }
    await().until(() -> texts(reader).size() == 5 && texts(writer).size() == 5);

    try (LogCapture log = LogCapture.start()) {
      assertThat(redis.command("FLUSHALL")).isEqualTo("+OK");
      writer.publish("chat", "{\"text\":\"new 1\"}");
      // The second line only after the first reached both: sent at once, either could be first.
      for (WsRecorder client : List.of(writer, reader)) {
        await().until(() -> texts(client).equals(List.of("new 1")));
      }
      reader.publish("chat", "{\"text\":\"new 2\"}");

      // Numbered 1 and 2 again, below the old 5: every node, the senders' too, takes them.
      for (WsRecorder client : List.of(writer, reader)) {
        await().until(() -> texts(client).equals(List.of("new 1", "new 2")));
        assertThat(client.state("chat").get(1).get("seq").asLong()).isEqualTo(2);
      }
      await().until(() -> log.lines().stream().filter(line -> line.contains("topic chat: a state of a new data set")
          && line.contains("WARN")).count() == 2);
    }
    assertThat(a.storage("ws").getItem("chat", ChatHandler.ChatLog.class).lines()).hasSize(2);
  }

  @Test
  void aHistoryStoredByAnEarlierReleaseAsABareListReadsOnWithItsNumbers() {
    a.storage("ws").setItem("chat", List.of(Map.of("user", "u", "text", "stored before", "seq", 7)));
    WsRecorder writer = connect(a, clientsOfA).subscribe("chat");
    assertThat(writer.nextState("chat").get(0).get("text").asString()).isEqualTo("stored before");

    writer.publish("chat", "{\"text\":\"after the upgrade\"}");

    await().until(() -> texts(writer).equals(List.of("stored before", "after the upgrade")));
    assertThat(writer.state("chat").get(1).get("seq").asLong()).isEqualTo(8);
    ChatHandler.ChatLog stored = b.storage("ws").getItem("chat", ChatHandler.ChatLog.class);
    assertThat(stored.epoch()).isZero();
    assertThat(stored.lines()).extracting(ChatHandler.ChatLine::seq).containsExactly(7L, 8L);
  }

  @Test
  void anEightSecondRedisStallMidChatLosesNoLineAndDuplicatesNone() throws Exception {
    WsRecorder writer = connect(a, clientsOfA).subscribe("chat");
    WsRecorder reader = connect(b, clientsOfB).subscribe("chat");
    await().until(() -> allSubscribed(a, 1) && allSubscribed(b, 1)
        && redis.subscribers("reactive-ws:topic:chat") == 2);
    List<String> sent = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      writer.publish("chat", "{\"text\":\"before " + i + "\"}");
      sent.add("before " + i);
    }
    await().until(() -> texts(reader).size() == 3);

    redis.pause();
    for (int i = 1; i <= 3; i++) {
      writer.publish("chat", "{\"text\":\"stalled on A " + i + "\"}");
      reader.publish("chat", "{\"text\":\"stalled on B " + i + "\"}");
      sent.add("stalled on A " + i);
      sent.add("stalled on B " + i);
    }
    // The stall itself, as long as the one tried against the chat (past the health check's 5 s).
    Thread.sleep(Duration.ofSeconds(8));
    redis.resume();
    writer.publish("chat", "{\"text\":\"after\"}");
    sent.add("after");

    for (WsRecorder client : List.of(writer, reader)) {
      await().atMost(Duration.ofSeconds(60)).until(() -> texts(client).size() == sent.size());
      assertThat(texts(client)).containsExactlyInAnyOrderElementsOf(sent);
      List<Long> numbers = new ArrayList<>();
      client.state("chat").forEach(line -> numbers.add(line.get("seq").asLong()));
      assertThat(numbers).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
      assertThat(chatLengths(client)).isSorted();
    }
    assertThat(a.storage("ws").getItem("chat", ChatHandler.ChatLog.class).lines()).hasSize(sent.size());
  }
}
