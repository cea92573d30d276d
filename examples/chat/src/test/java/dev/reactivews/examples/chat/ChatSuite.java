package dev.reactivews.examples.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reactivews.testing.WsRecorder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Seed 003's chat over WebSocket and HTTP, through real clients, for whatever serves it. */
@Timeout(120)
public abstract class ChatSuite extends ChatServerSuite {
  private final List<WsRecorder> clients = new ArrayList<>();

  @AfterEach
  public void closeClients() {
    clients.forEach(WsRecorder::close);
  }

  private WsRecorder connect() {
    WsRecorder client = WsRecorder.connect(server.port(), "/_ws");
    clients.add(client);
    return client;
  }

  @Test
  public void twentyClientsSendingTwentyMessagesAtOnceLoseNothing() throws Exception {
    int clientCount = 20;
    int perClient = 20;
    for (int i = 0; i < clientCount; i++) {
      connect().subscribe("chat");
    }
    await().until(() -> server.peers().size() == clientCount
        && server.peers().stream().allMatch(p -> p.topics().contains("chat")));

    ChatLoad.sendAtOnce(clients, perClient);

    int total = clientCount * perClient;
    for (WsRecorder client : clients) {
      await().atMost(Duration.ofSeconds(45))
          .until(() -> client.state("chat") != null && client.state("chat").size() == total);
      Set<String> texts = new HashSet<>();
      client.state("chat").forEach(line -> texts.add(line.get("text").asText()));
      assertThat(texts).hasSize(total);
    }
    assertThat(server.storage().getItem("chat", ChatHandler.ChatLog.class).lines()).hasSize(total);
    assertThat(connect().nextState("chat")).hasSize(total);
  }

  @Test
  public void sessionCountsFollowConnectsAndDisconnects() {
    WsRecorder first = connect();
    assertThat(first.nextState("session").get("users").asInt()).isEqualTo(1);
    WsRecorder second = connect();
    assertThat(second.nextState("session").get("users").asInt()).isEqualTo(2);
    assertThat(first.nextState("session").get("users").asInt()).isEqualTo(2);
    WsRecorder third = connect();
    assertThat(third.nextState("session").get("users").asInt()).isEqualTo(3);
    assertThat(first.nextState("session").get("users").asInt()).isEqualTo(3);

    third.close();
    assertThat(first.nextState("session").get("users").asInt()).isEqualTo(2);
    assertThat(second.nextState("session").get("users").asInt()).isEqualTo(3);
    assertThat(second.nextState("session").get("users").asInt()).isEqualTo(2);
  }

  @Test
  public void newPeerGetsTheStoredHistory() {
    WsRecorder writer = connect().subscribe("chat");
    writer.publish("chat", "{\"text\":\"hello\"}");
    JsonNode chat = writer.nextState("chat");
    assertThat(chat).hasSize(1);
    assertThat(chat.get(0).get("text").asText()).isEqualTo("hello");

    WsRecorder late = connect();
    JsonNode history = late.nextState("chat");
    assertThat(history.get(0).get("text").asText()).isEqualTo("hello");
    assertThat(history.get(0).get("user").asText()).isNotBlank();
  }

  private HttpResponse<String> postTrigger(String contentType, String body) throws Exception {
    return HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/ws/trigger"))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .header("content-type", contentType)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  public void aTriggerWithABodyThatIsNotJsonIs400AndPublishesNothing() throws Exception {
    WsRecorder subscriber = connect().subscribe("notifications");
    await().until(() -> server.peers().stream().anyMatch(p -> p.topics().contains("notifications")));

    HttpResponse<String> response = postTrigger("application/json", "{not json");
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(WsRecorder.parse(response.body()).get("error").asText()).contains("invalid JSON");

    // Marker: a plain-text body is still read as JSON, as the seed's readBody does.
    assertThat(postTrigger("text/plain", "{\"message\":\"marker\"}").statusCode()).isEqualTo(200);
    assertThat(subscriber.nextState("notifications").get("message").asText()).isEqualTo("marker");
    assertThat(subscriber.received()).noneMatch(m -> m.contains("not json"));
  }

  @Test
  public void triggerReachesSubscribersOfNotificationsAndNobodyElse() throws Exception {
    WsRecorder subscriber = connect().subscribe("notifications");
    WsRecorder bystander = connect();
    await().until(() -> server.peers().stream().anyMatch(p -> p.topics().contains("notifications")));

    HttpResponse<String> response = postTrigger("application/json", "{\"message\":\"deploy done\"}");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(WsRecorder.parse(response.body()).get("delivered").asInt()).isEqualTo(1);

    JsonNode notification = subscriber.nextState("notifications");
    assertThat(notification.get("message").asText()).isEqualTo("deploy done");
    assertThat(notification.get("id").asText()).hasSize(36);

    // Marker: a newcomer's user count, published on a topic both hear after the notification.
    connect();
    bystander.nextMatching(n ->
        "session".equals(n.path("topic").asText()) && n.path("payload").path("users").asInt() == 3);
    assertThat(bystander.received()).noneMatch(m -> m.contains("notifications"));
  }
}
