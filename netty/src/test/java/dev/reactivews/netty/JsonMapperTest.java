package dev.reactivews.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivews.SendOptions;
import dev.reactivews.WsHandler;
import dev.reactivews.storage.StorageDriver;
import dev.reactivews.testing.TestServer;
import dev.reactivews.testing.WsRecorder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/** The app's mapper writes what the app sends; the frame around it stays the framework's. */
@Timeout(60)
class JsonMapperTest {
  record Line(String userName, Instant sentAt) {}

  private static final Line LINE = new Line("ann", Instant.parse("2026-12-03T08:00:00Z"));

  private final StorageDriver driver = StorageDriver.memory();
  private NettyTransport.Running running;
  private TestServer server;

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  private void start(JsonMapper mapper) {
    running = NettyTransport.start(cfg -> {
      cfg.ws(ws -> ws.route("/_ws").defaults("chat"))
          .handler(WsHandler.defineReactiveWSHandler(h -> h
              .onOpen(peer -> peer.sendState("chat", LINE, SendOptions.DEFAULT))
              .onMessage((peer, message) -> peer.send(LINE))))
          .get("/api/line", ctx -> LINE)
          .post("/api/echo", ctx -> ctx.bodyAs(Line.class))
          .storage(driver);
      if (mapper != null) {
        cfg.jsonMapper(mapper);
      }
    });
    server = TestServer.of(running);
  }

  @Test
  void byDefaultJavaTimeValuesAreIsoText() {
    start(null);
    WsRecorder client = server.connect();
    assertThat(client.next()).isEqualTo("{\"topic\":\"chat\",\"payload\":{\"userName\":\"ann\",\"sentAt\":\"2026-12-03T08:00:00Z\"}}");
  }

  @Test
  void theAppsMapperWritesStatesDataRoutesAndStorage() {
    start(JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build());
    WsRecorder client = server.connect();
    assertThat(client.next()).isEqualTo("{\"topic\":\"chat\",\"payload\":{\"user_name\":\"ann\",\"sent_at\":\"2026-12-03T08:00:00Z\"}}");
    client.send("anything");
    assertThat(client.next()).isEqualTo("{\"user_name\":\"ann\",\"sent_at\":\"2026-12-03T08:00:00Z\"}");

    assertThat(server.get("/api/line").body()).isEqualTo("{\"user_name\":\"ann\",\"sent_at\":\"2026-12-03T08:00:00Z\"}");
    HttpResponse<String> echoed = server.http("POST", "/api/echo", "{\"user_name\":\"bob\",\"sent_at\":\"2026-12-03T09:00:00Z\"}");
    assertThat(echoed.body()).isEqualTo("{\"user_name\":\"bob\",\"sent_at\":\"2026-12-03T09:00:00Z\"}");

    running.reactiveWs().storage("ws").setItem("line", LINE);
    assertThat(new String(driver.get("ws:line"), StandardCharsets.UTF_8))
        .isEqualTo("{\"user_name\":\"ann\",\"sent_at\":\"2026-12-03T08:00:00Z\"}");
    assertThat(running.reactiveWs().storage("ws").getItem("line", Line.class)).isEqualTo(LINE);
  }
}
