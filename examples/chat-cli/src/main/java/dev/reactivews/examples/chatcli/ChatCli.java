package dev.reactivews.examples.chatcli;

import dev.reactivews.client.ConnectionClosedException;
import dev.reactivews.client.Data;
import dev.reactivews.client.Heartbeat;
import dev.reactivews.client.ReactiveWsClient;
import dev.reactivews.client.ReconnectPolicy;
import dev.reactivews.client.Status;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import tools.jackson.core.type.TypeReference;

/**
 * The chat example in a terminal, on the Java client: prints the history, the number of users
 * and every new line; sends each line typed; {@code /quit} (or the end of input) leaves.
 *
 * <p>{@code ./mvnw -q -pl examples/chat-cli -am package -DskipTests -Drun}, against the chat
 * started with {@code ./mvnw -q -pl examples/chat -am package -DskipTests exec:exec}. The URL is
 * the first argument, else {@code $CHAT_URL}, else {@value #DEFAULT_URL}.
 */
public final class ChatCli {
  static final String DEFAULT_URL = "ws://localhost:3000/_ws";
  static final String QUIT = "/quit";

  /** A line of the chat's {@code chat} state; {@code id} is the line's own, whatever its place in the list. */
  record ChatLine(String id, String user, String text) {}

  /** The chat's {@code session} state. */
  record Session(int users) {}

  /** What the chat's trigger endpoint publishes on {@code notifications} (its {@code id} is not needed here). */
  record Notification(String message) {}

  private final String url;
  private final PrintStream out;
  /** The ids of the lines of the last chat state, all printed; listener thread only. */
  private Set<String> shownIds = Set.of();
  /** The last user count printed; listener thread only. */
  private int users;
  /** The last status printed; listener thread only. */
  private Status status;
  /** The last failure printed, so that retries do not repeat it; listener thread only. */
  private String lastError;
  /** Set once the user left: the connection closing then is no news. */
  private volatile boolean leaving;

  private ChatCli(String url, PrintStream out) {
    this.url = url;
    this.out = out;
  }

  public static void main(String[] args) {
    String url = args.length > 0 ? args[0] : Objects.requireNonNullElse(System.getenv("CHAT_URL"), DEFAULT_URL);
    run(url, System.in, System.out);
  }

  /** Chats with the server at {@code url}, reading lines from {@code in} and printing to {@code out}, until /quit or the end of input. */
  static void run(String url, InputStream in, PrintStream out) {
    ChatCli cli = new ChatCli(url, out);
    out.println("* connecting to " + url + " …");
    try (ReactiveWsClient client = ReactiveWsClient.builder(url)
        .topics("chat", "notifications")
        .bind("chat", new TypeReference<List<ChatLine>>() {})
        .bind("session", Session.class)
        .bind("notifications", Notification.class)
        .autoReconnect(ReconnectPolicy.builder().delay(Duration.ofMillis(500)).maxDelay(Duration.ofSeconds(10)).build())
        .heartbeat(Heartbeat.defaults())
        .immediate(false)
        .build()) {
      client.onStatus(cli::status);
      client.onState("chat", cli::chat);
      client.onState("session", cli::session);
      client.onState("notifications", cli::notification);
      client.onData(cli::data);
      client.onError(cli::error);
      client.open();
      cli.readInput(client, in);
      cli.leaving = true;
    }
    out.println("* bye");
  }

  private void readInput(ReactiveWsClient client, InputStream in) {
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    try {
      for (String line = reader.readLine(); line != null && !line.strip().equals(QUIT); line = reader.readLine()) {
        if (line.isBlank()) {
          continue;
        }
        if (!client.publish("chat", Map.of("text", line))) {
          out.println("! not sent: too many messages are waiting for the connection");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void status(Status next) {
    if (next == Status.OPEN) {
      out.println("* connected to " + url + ": type a message and press Enter, " + QUIT + " to leave");
    } else if (next == Status.CLOSED && status == Status.OPEN && !leaving) {
      out.println("* disconnected; reconnecting…");
    }
    status = next;
  }

  private void chat(List<ChatLine> lines) {
    if (lines == null) {
      return;
    }
    List<ChatLine> unseen = unseen(shownIds, lines);
    if (shownIds.isEmpty() && unseen.size() > 1) {
      out.println("* history:");
    }
    for (ChatLine line : unseen) {
      out.println("[" + shortId(line.user()) + "] " + line.text());
    }
    shownIds = lines.stream().map(ChatLine::id).filter(Objects::nonNull).collect(Collectors.toUnmodifiableSet());
  }

  /**
   * The lines of a chat state not printed yet: those whose id the last state printed did not
   * have. The chat sends its whole (bounded) history each time, so the oldest line falling off
   * moves every line's place but no id; a server that lost its lines (restarted on memory
   * storage) sends lines of new ids, all new.
   */
  static List<ChatLine> unseen(Set<String> shownIds, List<ChatLine> lines) {
    return lines.stream().filter(line -> line.id() == null || !shownIds.contains(line.id())).toList();
  }


  /** The first block of a peer id: enough to tell people apart in a terminal. */
  private static String shortId(String user) {
    if (user == null || user.isEmpty()) {
      return "anonymous";
    }
    int dash = user.indexOf('-');
    return dash > 0 ? user.substring(0, dash) : user;
  }

  private void session(Session session) {
    if (session != null && session.users() != users) {
      users = session.users();
      out.println("* " + users + (users == 1 ? " user" : " users") + " online");
    }
  }

  private void notification(Notification notification) {
    if (notification != null) {
      out.println("* notification: " + notification.message());
    }
  }

  private void data(Data data) {
    if (data.isError()) {
      StringBuilder text = new StringBuilder("! the server refused: ").append(data.json().path("message").asString());
      data.json().path("issues").forEach(issue ->
          text.append(" (").append(issue.path("path").asString()).append(": ").append(issue.path("message").asString()).append(')'));
      out.println(text);
    }
  }

  private void error(Throwable error) {
    String text = switch (error) {
      case ConnectException e -> "cannot reach " + url;
      case ConnectionClosedException e -> "the server closed the connection (" + e.code() + (e.reason().isEmpty() ? "" : " " + e.reason()) + ")";
      default -> error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
    };
    // Retries fail the same way over and over: say it once.
    if (!text.equals(lastError)) {
      lastError = text;
      out.println("! " + text);
    }
  }
}
