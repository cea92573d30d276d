package dev.reactivews.examples.chathandler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reactivews.state.Versioned;
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
import tools.jackson.databind.JsonNode;

/** nuxt-ws's chat example over WebSocket and HTTP, through real clients, for whatever serves it. */
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
          .failFast("the client was closed", client::isClosed)
          .until(() -> client.state("chat") != null && client.state("chat").size() == total);
      Set<String> texts = new HashSet<>();
      client.state("chat").forEach(line -> texts.add(line.get("text").asString()));
      assertThat(texts).hasSize(total);
      assertThat(new HashSet<>(ChatFrames.ids(client))).hasSize(total);
      // v 0 at the subscribe, then one more with each line: none missed, none twice, none back.
      assertThat(ChatFrames.versions(client)).first().isEqualTo(0L);
      assertThat(ChatFrames.versions(client)).doesNotHaveDuplicates().isSorted().last().isEqualTo((long) total);
    }
    Versioned<List<ChatHandler.ChatLine>> kept = server.states().list(ChatHandler.CHAT, ChatHandler.ChatLine.class).read();
    assertThat(kept.value()).hasSize(total);
    assertThat(kept.version().number()).isEqualTo(total);
    assertThat(ChatFrames.nextAt(connect().subscribe("chat"), total).get("payload")).hasSize(total);
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
  public void aSubscriberGetsTheHistoryAtItsVersionThenEachLineAtTheNext() {
    WsRecorder writer = connect().subscribe("chat");
    assertThat(ChatFrames.nextAt(writer, 0).get("payload")).isEmpty();
    writer.publish("chat", "{\"text\":\"hello\"}");
    JsonNode chat = ChatFrames.nextAt(writer, 1).get("payload");
    assertThat(chat).hasSize(1);
    assertThat(chat.get(0).get("text").asString()).isEqualTo("hello");
    String helloId = chat.get(0).get("id").asString();
    assertThat(helloId).isNotBlank();

    WsRecorder late = connect().subscribe("chat");
    JsonNode history = ChatFrames.nextAt(late, 1).get("payload");
    assertThat(history.get(0).get("text").asString()).isEqualTo("hello");
    assertThat(history.get(0).get("user").asString()).isNotBlank();
    assertThat(history.get(0).get("id").asString()).isEqualTo(helloId);

    late.publish("chat", "{\"text\":\"hi back\"}");
    for (WsRecorder client : List.of(writer, late)) {
      JsonNode next = ChatFrames.nextAt(client, 2).get("payload");
      assertThat(next.findValuesAsString("text")).containsExactly("hello", "hi back");
      assertThat(next.get(0).get("id").asString()).isEqualTo(helloId);
      assertThat(next.get(1).get("id").asString()).isNotEqualTo(helloId);
    }
  }

  /** A peer that never subscribed to {@code chat} gets none of it: the history goes to subscribers. */
  @Test
  public void aPeerNotSubscribedToTheChatGetsNoneOfIt() {
    WsRecorder bystander = connect();
    WsRecorder writer = connect().subscribe("chat");
    writer.publish("chat", "{\"text\":\"for subscribers\"}");
    ChatFrames.nextAt(writer, 1);

    // Marker: a newcomer's user count, on a topic both hear after the line went out.
    connect();
    bystander.nextMatching(n ->
        "session".equals(n.path("topic").asString()) && n.path("payload").path("users").asInt() == 3);
    assertThat(ChatFrames.versions(bystander)).isEmpty();
  }

  /** How long the refused requests get to publish something after the marker arrived. */
  private static final Duration QUIET_PERIOD = Duration.ofMillis(300);

  /** Sends a request to the trigger; a null content type sends none. */
  protected HttpResponse<String> sendTrigger(String method, String contentType, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + ChatTrigger.PATH))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  private HttpResponse<String> postTrigger(String contentType, String body) throws Exception {
    return sendTrigger("POST", contentType, body);
  }

  private static String messageBody(String message) {
    return "{\"message\":\"" + message + "\"}";
  }

  /**
   * Each request a page of another site could make a browser send (a GET, a form, text/plain),
   * and each body the trigger does not take, is refused with its status and publishes nothing:
   * the subscriber's next notification is the marker sent after all of them.
   */
  @Test
  public void theTriggerRefusesWhatItDoesNotTakeAndPublishesNothingForIt() throws Exception {
    WsRecorder subscriber = connect().subscribe("notifications");
    await().until(() -> server.peers().stream().anyMatch(p -> p.topics().contains("notifications")));

    HttpResponse<String> get = sendTrigger("GET", null, null);
    assertThat(get.statusCode()).as("GET").isEqualTo(405);
    assertThat(get.headers().firstValue("Allow")).as("GET's Allow").hasValue("POST");
    assertThat(sendTrigger("PUT", "application/json", messageBody("refused-put")).statusCode()).as("PUT").isEqualTo(405);
    assertThat(sendTrigger("DELETE", "application/json", messageBody("refused-delete")).statusCode())
        .as("DELETE").isEqualTo(405);
    assertThat(postTrigger("text/plain", messageBody("refused-text-plain")).statusCode()).as("text/plain").isEqualTo(415);
    assertThat(postTrigger("application/x-www-form-urlencoded", "message=refused-form").statusCode())
        .as("a form").isEqualTo(415);
    assertThat(postTrigger("multipart/form-data; boundary=x", messageBody("refused-multipart")).statusCode())
        .as("multipart").isEqualTo(415);
    assertThat(sendTrigger("POST", null, messageBody("refused-no-type")).statusCode()).as("no type").isEqualTo(415);
    assertThat(postTrigger("application/json; charset=iso-8859-1", messageBody("refused-latin1")).statusCode())
        .as("another charset").isEqualTo(415);
    assertThat(postTrigger("application/json", messageBody("refused-long-" + "x".repeat(ChatTrigger.MAX_MESSAGE_CHARACTERS)))
        .statusCode()).as("a message too long").isEqualTo(413);
    assertThat(postTrigger("application/json", "{\"message\":\"refused-large-body\",\"padding\":\""
        + " ".repeat(ChatTrigger.MAX_BODY_BYTES) + "\"}").statusCode()).as("a body too large").isEqualTo(413);
    assertThat(postTrigger("application/json", "{not json").statusCode()).as("not JSON").isEqualTo(400);
    assertThat(postTrigger("application/json", messageBody("refused-trailing") + " {").statusCode())
        .as("JSON and more").isEqualTo(400);
    assertThat(postTrigger("application/json", "{\"text\":\"refused-wrong-field\"}").statusCode())
        .as("no message field").isEqualTo(400);
    assertThat(postTrigger("application/json", "{\"message\":42}").statusCode()).as("a number").isEqualTo(400);
    assertThat(postTrigger("application/json", "{\"message\":\"   \"}").statusCode()).as("blank").isEqualTo(400);
    assertThat(postTrigger("application/json", "").statusCode()).as("no body").isEqualTo(400);
    HttpResponse<String> notJson = postTrigger("application/json", "[\"refused-array\"]");
    assertThat(notJson.statusCode()).as("an array").isEqualTo(400);
    assertThat(WsRecorder.parse(notJson.body()).get("error").asString()).contains("message");

    assertThat(postTrigger("application/json; charset=UTF-8", messageBody("marker")).statusCode()).isEqualTo(200);
    assertThat(subscriber.nextState("notifications").get("message").asString()).isEqualTo("marker");
    await().during(QUIET_PERIOD).atMost(QUIET_PERIOD.multipliedBy(4))
        .until(() -> subscriber.received().stream().noneMatch(m -> m.contains("refused")));
  }

  /** What a browser asks before it sends another site's page's JSON POST: never granted. */
  @Test
  public void aCorsPreflightForTheTriggerIsNotGranted() throws Exception {
    HttpRequest preflight = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + ChatTrigger.PATH))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", "https://attacker.example")
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "content-type")
        .build();
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> response = http.send(preflight, HttpResponse.BodyHandlers.ofString());
      // Whatever the status (Spring answers 200, Netty 405), without these headers a browser sends nothing.
      assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
      assertThat(response.headers().firstValue("Access-Control-Allow-Headers")).isEmpty();
    }
  }

  @Test
  public void theTriggerTakesAMessageOfAThousandCharactersCountedAsCodePoints() throws Exception {
    WsRecorder subscriber = connect().subscribe("notifications");
    await().until(() -> server.peers().stream().anyMatch(p -> p.topics().contains("notifications")));
    String faces = "\uD83D\uDE00".repeat(ChatTrigger.MAX_MESSAGE_CHARACTERS);

    assertThat(postTrigger("application/json", messageBody(faces)).statusCode()).isEqualTo(200);
    assertThat(subscriber.nextState("notifications").get("message").asString()).isEqualTo(faces);
    assertThat(postTrigger("application/json", messageBody(faces + "!")).statusCode()).isEqualTo(413);
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
    assertThat(notification.get("message").asString()).isEqualTo("deploy done");
    assertThat(notification.get("id").asString()).hasSize(36);

    // Marker: a newcomer's user count, published on a topic both hear after the notification.
    connect();
    bystander.nextMatching(n ->
        "session".equals(n.path("topic").asString()) && n.path("payload").path("users").asInt() == 3);
    assertThat(bystander.received()).noneMatch(m -> m.contains("notifications"));
  }
}
