package dev.reactivews.examples.chatcli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reactivews.client.ReactiveWsClient;
import dev.reactivews.client.Status;
import dev.reactivews.examples.chat.ChatApp;
import dev.reactivews.examples.chatcli.ChatCli.ChatLine;
import dev.reactivews.netty.ReactiveWs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.core.type.TypeReference;

/** The terminal chat against the real chat example, typed into and read from as a person would. */
@Timeout(60)
class ChatCliTest {
  private ReactiveWs server;
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @BeforeEach
  void start() {
    server = ChatApp.start(0);
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable closeable : closeables) {
      closeable.close();
    }
    server.stop();
  }

  private String url() {
    return "ws://127.0.0.1:" + server.port() + "/_ws";
  }

  /** A chat-cli running on its own thread, with a keyboard and a screen. */
  private final class Terminal implements AutoCloseable {
    private final PipedOutputStream keyboard = new PipedOutputStream();
    private final ByteArrayOutputStream screen = new ByteArrayOutputStream();
    private final Thread thread;

    Terminal() throws IOException {
      PipedInputStream in = new PipedInputStream(keyboard);
      PrintStream out = new PrintStream(screen, true, StandardCharsets.UTF_8);
      thread = Thread.ofPlatform().name("chat-cli").start(() -> ChatCli.run(url(), in, out));
      closeables.add(this);
    }

    void type(String line) {
      try {
        keyboard.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        keyboard.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    String screen() {
      return screen.toString(StandardCharsets.UTF_8);
    }

    void awaitLine(String line) {
      await().until(() -> screen().lines().anyMatch(line::equals));
    }

    boolean isRunning() {
      return thread.isAlive();
    }

    @Override
    public void close() throws Exception {
      keyboard.close();
      thread.join(10_000);
    }
  }

  private ReactiveWsClient otherUser() {
    ReactiveWsClient other = ReactiveWsClient.builder(url())
        .topics("chat")
        .bind("chat", new TypeReference<List<ChatLine>>() {})
        .build();
    closeables.add(other);
    await().until(() -> other.status() == Status.OPEN);
    return other;
  }

  private static String idOf(ReactiveWsClient client, String text) {
    List<ChatLine> chat = client.states().get("chat");
    return chat.stream().filter(line -> line.text().equals(text)).findFirst().orElseThrow().user().split("-")[0];
  }

  @Test
  void chatsWithAnotherUserAndLeavesOnQuit() throws Exception {
    Terminal terminal = new Terminal();
    terminal.awaitLine("* connected to " + url() + ": type a message and press Enter, /quit to leave");
    terminal.awaitLine("* 1 user online");

    ReactiveWsClient other = otherUser();
    terminal.awaitLine("* 2 users online");
    other.publish("chat", Map.of("text", "hello from the other side"));
    await().until(() -> other.states().<List<ChatLine>>get("chat").stream()
        .anyMatch(l -> l.text().equals("hello from the other side")));
    terminal.awaitLine("[" + idOf(other, "hello from the other side") + "] hello from the other side");

    terminal.type("hi there");
    await().until(() -> other.states().<List<ChatLine>>get("chat").stream().anyMatch(l -> l.text().equals("hi there")));
    terminal.awaitLine("[" + idOf(other, "hi there") + "] hi there");
    assertThat(idOf(other, "hi there")).isNotEqualTo(idOf(other, "hello from the other side"));

    HttpResponse<String> trigger = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/ws/trigger"))
            .POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"Tea time\"}"))
            .header("Content-Type", "application/json")
            .build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(trigger.statusCode()).as(trigger.body()).isEqualTo(200);
    terminal.awaitLine("* notification: Tea time");

    terminal.type("x".repeat(2001));
    await().until(() -> terminal.screen().lines().anyMatch(l -> l.startsWith("! the server refused: ")
        && l.contains("(payload.text: ")));

    other.close();
    await().until(() -> terminal.screen().lines().filter("* 1 user online"::equals).count() == 2);

    terminal.type("   ");
    terminal.type("/quit");
    terminal.awaitLine("* bye");
    assertThat(terminal.screen()).doesNotContain("disconnected");
    await().until(() -> !terminal.isRunning());
    await().until(() -> server.peers().isEmpty());
    List<String> chatLines = terminal.screen().lines().filter(l -> l.startsWith("[")).toList();
    assertThat(chatLines).as("each line printed once, the blank one never sent").hasSize(2);
  }

  @Test
  void aNewcomerSeesTheHistoryOnce() throws Exception {
    ReactiveWsClient other = otherUser();
    other.publish("chat", Map.of("text", "first"));
    other.publish("chat", Map.of("text", "second"));
    await().until(() -> other.states().has("chat") && other.states().<List<ChatLine>>get("chat").size() == 2);

    Terminal terminal = new Terminal();
    terminal.awaitLine("* history:");
    String id = idOf(other, "first");
    terminal.awaitLine("[" + id + "] second");
    other.publish("chat", Map.of("text", "third"));
    terminal.awaitLine("[" + id + "] third");
    assertThat(terminal.screen().lines().filter(l -> l.startsWith("[")).toList())
        .as("the chat sends its whole list on subscribe and on every line; each line shows once")
        .containsExactly("[" + id + "] first", "[" + id + "] second", "[" + id + "] third");
  }

  @Test
  void unseenLinesAreThoseWhoseIdTheLastStateShownLacked() {
    ChatLine a = new ChatLine("id-1", "u", "a");
    ChatLine b = new ChatLine("id-2", "u", "b");
    ChatLine c = new ChatLine("id-3", "u", "c");
    ChatLine again = new ChatLine("id-4", "u", "a");
    ChatLine anew = new ChatLine("id-9", "u", "a");
    assertThat(ChatCli.unseen(Set.of(), List.of(a, b))).containsExactly(a, b);
    assertThat(ChatCli.unseen(Set.of("id-1", "id-2"), List.of(a, b))).isEmpty();
    assertThat(ChatCli.unseen(Set.of("id-1", "id-2"), List.of(a, b, c))).containsExactly(c);
    assertThat(ChatCli.unseen(Set.of("id-1", "id-2", "id-3"), List.of(b, c, again)))
        .as("history bounded: the oldest fell off; same text twice").containsExactly(again);
    assertThat(ChatCli.unseen(Set.of("id-1", "id-2", "id-3"), List.of(anew))).as("a server that lost its history")
        .containsExactly(anew);
    assertThat(ChatCli.unseen(Set.of("id-1"), List.of())).isEmpty();
  }

}
