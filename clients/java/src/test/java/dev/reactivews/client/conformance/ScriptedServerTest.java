package dev.reactivews.client.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/** The conformance suite's JVM server, seen from the JDK's own WebSocket: it does what the steps rely on. */
@Timeout(20)
class ScriptedServerTest {
  /** What the server sent the test's socket: texts, then {@code close <code>}. */
  private final List<String> heard = new CopyOnWriteArrayList<>();

  private WebSocket connect(HttpClient http, ScriptedServer server) {
    return connect(http, server.url());
  }

  private WebSocket connect(HttpClient http, String url) {
    return http.newWebSocketBuilder().buildAsync(URI.create(url), new WebSocket.Listener() {
      @Override
      public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        heard.add(data.toString());
        webSocket.request(1);
        return null;
      }

      @Override
      public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        heard.add("close " + statusCode);
        return null;
      }
    }).join();
  }

  @Test
  void recordsFramesAnswersPingsUnlessSilentAndSeesCloseCodes() throws InterruptedException {
    try (ScriptedServer server = new ScriptedServer(); HttpClient http = HttpClient.newHttpClient()) {
      WebSocket socket = connect(http, server);
      await().until(() -> server.connections.size() == 1);
      ScriptedServer.Connection connection = server.connections.getFirst();

      socket.sendText("{\"type\":\"subscribe\",\"topic\":\"chat\"}", true).join();
      socket.sendText("true story", true).join();
      socket.sendText("ping", true).join();
      await().until(() -> heard.contains("pong"));
      await().until(() -> connection.frames.size() == 2);
      assertThat(connection.frames).containsExactly(
          JsonNodeFactory.instance.objectNode().put("type", "subscribe").put("topic", "chat"),
          StringNode.valueOf("true story"));
      assertThat(connection.pings).hasValue(1);

      server.silent = true;
      socket.sendText("ping", true).join();
      connection.send(StringNode.valueOf("after the ping"));
      await().until(() -> heard.contains("after the ping"));
      assertThat(heard).containsExactly("pong", "after the ping");
      await().until(() -> connection.pings.get() == 2);

      socket.sendClose(3008, "heartbeat timeout").join();
      await().until(() -> connection.closeCode != null);
      assertThat(connection.closeCode).isEqualTo(3008);
    }
  }

  @Test
  void servesTheConfigOnlyOnceItHasOne() throws Exception {
    try (ScriptedServer server = new ScriptedServer(); HttpClient http = HttpClient.newHttpClient()) {
      URI config = URI.create(server.url().replace("ws://", "http://").replace("/_ws", ScriptedServer.CONFIG_PATH));
      HttpRequest request = HttpRequest.newBuilder(config).build();
      assertThat(http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);

      ObjectNode served = JsonNodeFactory.instance.objectNode().put("route", "/_ws");
      server.config = served;
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo(served.toString());
    }
  }

  @Test
  void keepsEachHandshakesPathAndQuery() throws InterruptedException {
    try (ScriptedServer server = new ScriptedServer(); HttpClient http = HttpClient.newHttpClient()) {
      WebSocket withQuery = connect(http, server.url() + "?rws=1&rws.since=0.3.session");
      WebSocket without = connect(http, server);
      await().until(() -> server.connections.size() == 2);
      assertThat(server.connections).extracting(connection -> connection.requestUri)
          .containsExactly("/_ws?rws=1&rws.since=0.3.session", "/_ws");
      // The HTTP client's close waits for every open socket.
      withQuery.abort();
      without.abort();
    }
  }

  @Test
  void closesAConnectionWithTheCodeItIsGiven() throws InterruptedException {
    try (ScriptedServer server = new ScriptedServer(); HttpClient http = HttpClient.newHttpClient()) {
      connect(http, server);
      await().until(() -> server.connections.size() == 1);
      server.connections.getFirst().close(4000);
      await().until(() -> heard.contains("close 4000"));
    }
  }
}
