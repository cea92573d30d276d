package dev.reactivews.examples.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reactivews.examples.chathandler.ChatFrames;
import dev.reactivews.examples.chathandler.ChatHandler;
import dev.reactivews.examples.chathandler.ChatHandler.ChatLine;
import dev.reactivews.examples.chathandler.ChatLoad;
import dev.reactivews.netty.ReactiveWs;
import dev.reactivews.redis.RedisServer;
import dev.reactivews.state.Versioned;
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
  private Map<String, String> environment;
  private ReactiveWs a;
  private ReactiveWs b;
  private final List<WsRecorder> clientsOfA = new ArrayList<>();
  private final List<WsRecorder> clientsOfB = new ArrayList<>();

  @BeforeEach
  void start() {
    redis = RedisServer.startNew();
    environment = Map.of("REDIS_URL", redis.url(), "REDIS_PRESENCE_TTL", "2s",
        "WS_LIMITS_OUTBOUND_BUFFER_BYTES", ChatLoad.OUTBOUND_BUFFER_BYTES);
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
          .failFast("the client was closed", client::isClosed)
          .until(() -> client.state("chat") != null && client.state("chat").size() == total);
      Set<String> texts = new HashSet<>();
      client.state("chat").forEach(line -> texts.add(line.get("text").asString()));
      assertThat(texts).hasSize(total);
      // Every node sends each change in version order, one more each time, so no list goes back.
      assertThat(ChatFrames.lengths(client)).isSorted();
      assertThat(ChatFrames.versions(client)).doesNotHaveDuplicates().isSorted().last().isEqualTo((long) total);
    }
    for (ReactiveWs node : List.of(a, b)) {
      Versioned<List<ChatLine>> kept = node.states().list(ChatHandler.CHAT, ChatLine.class).read();
      assertThat(kept.value()).hasSize(total);
      assertThat(kept.version().number()).isEqualTo(total);
    }
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
    String id = ChatFrames.nextAt(writer, 1).at("/payload/0/id").asString();

    JsonNode history = ChatFrames.nextAt(connect(b, clientsOfB).subscribe("chat"), 1).get("payload");
    assertThat(history).hasSize(1);
    assertThat(history.get(0).get("text").asString()).isEqualTo("hello from A");
    assertThat(history.get(0).get("id").asString()).isEqualTo(id).isNotBlank();
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

      // Versions 1 and 2 again, below the old 5, of a new epoch: every node, the senders' too, takes them.
      for (WsRecorder client : List.of(writer, reader)) {
        await().until(() -> texts(client).equals(List.of("new 1", "new 2")));
        assertThat(ChatFrames.versions(client)).last().isEqualTo(2L);
      }
      await().until(() -> log.lines().stream().filter(line -> line.contains("topic chat: ")
          && line.contains("WARN")).count() >= 2);
    }
    Versioned<List<ChatLine>> kept = a.states().list(ChatHandler.CHAT, ChatLine.class).read();
    assertThat(kept.value()).extracting(ChatLine::text).containsExactly("new 1", "new 2");
    assertThat(kept.version().number()).isEqualTo(2);
  }

  /**
   * The history an earlier release kept by hand in Redis is moved into the state topic by the next
   * node to start, and reaches the subscribers of the nodes already running; nodes started later
   * move nothing twice.
   */
  @Test
  void aHistoryAnEarlierReleaseKeptInRedisIsMovedIntoTheStateTopicOnceAtTheNextStart() {
    a.storage("ws").setItem("chat", Map.of("epoch", 1733212800000L, "lines", List.of(
        Map.of("user", "u", "text", "stored before", "seq", 7), Map.of("user", "v", "text", "and this", "seq", 8))));
    WsRecorder reader = connect(a, clientsOfA).subscribe("chat");
    ChatFrames.nextAt(reader, 0);

    ReactiveWs upgraded = ChatApp.start(0, environment);
    try {
      assertThat(ChatFrames.nextAt(reader, 1).get("payload").findValuesAsString("text"))
          .containsExactly("stored before", "and this");
      assertThat(ChatFrames.ids(reader)).containsExactly("legacy-1733212800000-7", "legacy-1733212800000-8");
      assertThat(b.storage("ws").hasItem("chat")).as("the legacy key").isFalse();
    } finally {
      upgraded.stop();
    }
    ChatApp.start(0, environment).stop();

    reader.publish("chat", "{\"text\":\"after the upgrade\"}");
    assertThat(ChatFrames.nextAt(reader, 2).get("payload").findValuesAsString("text"))
        .containsExactly("stored before", "and this", "after the upgrade");
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
      assertThat(new HashSet<>(ChatFrames.ids(client))).hasSize(sent.size());
      assertThat(ChatFrames.lengths(client)).isSorted();
      assertThat(ChatFrames.versions(client)).doesNotHaveDuplicates().isSorted().last().isEqualTo((long) sent.size());
    }
    assertThat(a.states().list(ChatHandler.CHAT, ChatLine.class).read().value()).hasSize(sent.size());
  }
}
