package dev.reactivews.examples.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reactivews.examples.chathandler.ChatFrames;
import dev.reactivews.examples.chathandler.ChatValidation;
import dev.reactivews.netty.ReactiveWs;
import dev.reactivews.testing.DocSnippets;
import dev.reactivews.testing.WsRecorder;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/** The README's 5-minute tour is {@link Tour}, and the tour's chat works. */
@Timeout(60)
class TourTest {
  private static final Path README = Path.of("../../README.md");
  private static final Path TOUR = Path.of("src/test/java/dev/reactivews/examples/chat/Tour.java");
  private static final Path CHAT_SCHEMA =
      Path.of("../chat-handler/src/main/resources/" + ChatValidation.JSON_SCHEMA_RESOURCE);
  private static final String TOUR_HEADING = "## A 5-minute tour";
  private static final Pattern TRAILING_COMMENT = Pattern.compile("\\s+//.*$");

  @Test
  void theToursJavaSnippetsAreTheRegionsOfTour() {
    List<String> regions = DocSnippets.regions(TOUR);

    assertThat(regions).hasSize(4);
    assertThat(DocSnippets.codeBlocks(README, TOUR_HEADING, "java"))
        .as("the Java snippets of the README's tour, against the regions of %s", TOUR)
        .containsExactlyElementsOf(regions);
  }

  @Test
  void theToursJsonSchemaIsTheChatsSchemaFile() {
    assertThat(DocSnippets.codeBlocks(README, TOUR_HEADING, "json"))
        .as("the JSON of the README's tour, against %s", CHAT_SCHEMA)
        .containsExactly(DocSnippets.wholeFile(CHAT_SCHEMA));
  }

  @Test
  void everyLineOfTheToursPageSnippetIsALineOfIndexHtml() throws IOException {
    List<String> page;
    try (InputStream index = TourTest.class.getResourceAsStream("/public/index.html")) {
      page = new String(index.readAllBytes(), StandardCharsets.UTF_8).lines().map(TourTest::code).toList();
    }

    List<String> snippets = DocSnippets.codeBlocks(README, TOUR_HEADING, "html");
    assertThat(snippets).hasSize(1);
    assertThat(snippets.getFirst().lines().map(TourTest::code).filter(line -> !line.isEmpty()))
        .as("the lines of the README's page snippet, without their comments")
        .isNotEmpty()
        .isSubsetOf(page);
  }

  @Test
  void theToursChatKeepsItsHistoryCountsItsUsersAndRelaysTheTrigger() throws Exception {
    ReactiveWs server = Tour.start(0);
    try (WsRecorder writer = WsRecorder.connect(server.port(), "/_ws").subscribe("chat").subscribe("notifications")) {
      assertThat(writer.nextState("session").get("users").asInt()).isEqualTo(1);

      // The chat's state at subscribe may come before or after the user count.
      writer.publish("chat", "{\"text\":\"hello\"}");
      JsonNode chat = ChatFrames.nextAt(writer, 1).get("payload");
      assertThat(chat).hasSize(1);
      assertThat(chat.get(0).get("text").asString()).isEqualTo("hello");
      assertThat(chat.get(0).get("id").asString()).hasSize(36);
      assertThat(ChatFrames.versions(writer)).containsExactly(0L, 1L);

      writer.publish("chat", "{\"text\":\"\"}");
      assertThat(writer.nextError().toString()).contains("payload.text");

      try (WsRecorder late = WsRecorder.connect(server.port(), "/_ws").subscribe("chat")) {
        assertThat(ChatFrames.nextAt(late, 1).at("/payload/0/text").asString()).isEqualTo("hello");
        assertThat(writer.nextState("session").get("users").asInt()).isEqualTo(2);
      }

      HttpResponse<String> triggered = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/ws/trigger"))
              .POST(HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(triggered.statusCode()).isEqualTo(200);
      assertThat(writer.nextState("notifications").get("message").asString()).isEqualTo("Hello");
    } finally {
      server.stop();
    }
  }

  @Test
  void theToursAuthenticationAdmitsOnlyItsSessionsAndKeepsAdminTopicsToAdmins() {
    Map<String, Tour.User> sessions = Map.of("ann-session", new Tour.User("ann", false));
    ReactiveWs server = ReactiveWs.create(cfg -> cfg
            .handler(Tour.authenticating(sessions, Map.of("news", Map.of("headline", "hello")))))
        .start(0);
    URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/_ws");
    try (WsRecorder ann = WsRecorder.connect(uri, Map.of("Cookie", "session=ann-session"))) {
      assertThatThrownBy(() -> WsRecorder.connect(uri, Map.of("Cookie", "session=guessed")))
          .hasCauseInstanceOf(WebSocketHandshakeException.class)
          .cause().satisfies(refusal ->
              assertThat(((WebSocketHandshakeException) refusal).getResponse().statusCode()).isEqualTo(401));

      ann.subscribe("news");
      assertThat(ann.nextState("news").get("headline").asString()).isEqualTo("hello");
      ann.subscribe("admin/deploys");
      assertThat(ann.nextError().get("code").asString()).isEqualTo("forbidden");
      assertThat(server.peers()).singleElement().satisfies(peer ->
          assertThat(peer.topics()).contains("news").doesNotContain("admin/deploys"));
    } finally {
      server.stop();
    }
  }

  /** A line of the page as code: trimmed, without a trailing comment. */
  private static String code(String line) {
    return TRAILING_COMMENT.matcher(line.strip()).replaceFirst("");
  }
}
