package dev.reactivews.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reactivews.netty.ReactiveWs;
import dev.reactivews.testing.HookLog;
import dev.reactivews.testing.TcpProxy;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/** Connections that break: a server restarted on the same port, a server that goes silent. */
@Timeout(90)
class ReconnectTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final ReconnectPolicy QUICK = ReconnectPolicy.builder()
      .delay(Duration.ofMillis(50))
      .maxDelay(Duration.ofMillis(400))
      .build();

  @Test
  void aRestartedServerGetsTheTopicsAgainAndTheBufferedSendsOnce() {
    StateApp first = new StateApp();
    first.states.put("chat", "from the first server");
    ReactiveWs server = first.start(0);
    int port = server.port();
    List<String> chatStates = new CopyOnWriteArrayList<>();
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    try (ReactiveWsClient client = ReactiveWsClient.builder("ws://127.0.0.1:" + port + StateApp.ROUTE)
        .topics("chat")
        .autoReconnect(QUICK)
        .build()) {
      client.onState("chat", (JsonNode chat) -> chatStates.add(chat.asString()));
      client.onError(errors::add);
      await().until(() -> chatStates.contains("from the first server"));

      server.stop();
      await().until(() -> !errors.isEmpty());
      assertThat(client.status()).isNotEqualTo(Status.OPEN);
      assertThat(errors.getFirst()).isInstanceOfSatisfying(ConnectionClosedException.class,
          e -> assertThat(e.code()).isEqualTo(1001));
      assertThat(client.publish("chat", "sent while down 1")).isTrue();
      assertThat(client.publish("chat", "sent while down 2")).isTrue();
      assertThat(client.bufferedMessages()).isEqualTo(2);
      // A few attempts fail against the closed port, and are retried.
      await().atMost(PATIENCE).until(() -> errors.size() >= 3);

      StateApp second = new StateApp();
      second.states.put("chat", "from the second server");
      AtomicReference<ReactiveWs> restarted = new AtomicReference<>();
      await().atMost(PATIENCE).ignoreExceptions().until(() -> {
        restarted.set(second.start(port));
        return true;
      });
      try {
        await().atMost(PATIENCE).until(() -> chatStates.contains("sent while down 2"));
        assertThat(chatStates).containsSubsequence(
            "from the first server", "from the second server", "sent while down 1", "sent while down 2");
        assertThat(client.status()).isEqualTo(Status.OPEN);
        assertThat(client.bufferedMessages()).isZero();

        client.send(HookLog.ECHO + "marker");
        second.log.awaitEvent("message " + HookLog.ECHO + "marker");
        assertThat(second.log.eventsStartingWith("message ")).containsExactly(
            "message {\"type\":\"publish\",\"topic\":\"chat\",\"payload\":\"sent while down 1\"}",
            "message {\"type\":\"publish\",\"topic\":\"chat\",\"payload\":\"sent while down 2\"}",
            "message " + HookLog.ECHO + "marker");
        assertThat(second.count("subscribed chat")).isEqualTo(1);
      } finally {
        restarted.get().stop();
      }
    }
  }

  @Test
  void aServerThatStopsAnsweringIsDetectedByTheHeartbeatAndConnectedAgain() {
    StateApp app = new StateApp();
    ReactiveWs server = app.start(0);
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    try (TcpProxy proxy = TcpProxy.start(server.port());
        ReactiveWsClient client = ReactiveWsClient.builder("ws://127.0.0.1:" + proxy.port() + StateApp.ROUTE)
            .topics("chat")
            .heartbeat(Heartbeat.builder().interval(Duration.ofMillis(250)).pongTimeout(Duration.ofSeconds(2)).build())
            .autoReconnect(QUICK)
            .connectTimeout(Duration.ofSeconds(1))
            .build()) {
      client.onError(errors::add);
      await().until(() -> client.status() == Status.OPEN);
      // Pings are answered: a live server keeps its connection through several heartbeats.
      await().during(Duration.ofMillis(1500)).atMost(PATIENCE).until(() -> client.status() == Status.OPEN && errors.isEmpty());

      proxy.silence();
      await().atMost(PATIENCE).until(() -> errors.stream().anyMatch(HttpTimeoutException.class::isInstance));
      assertThat(client.status()).isNotEqualTo(Status.OPEN);
      app.states.put("chat", "after the silence");

      proxy.resume();
      await().atMost(PATIENCE).until(() -> client.status() == Status.OPEN
          && client.states().has("chat") && "after the silence".equals(client.states().json("chat").asString()));
      assertThat(app.count("subscribed chat")).isEqualTo(2);
    } finally {
      server.stop();
    }
  }

  @Test
  void theClientGivesUpAfterMaxRetriesAndOpenTriesAgain() {
    StateApp app = new StateApp();
    ReactiveWs server = app.start(0);
    int port = server.port();
    server.stop();
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    try (ReactiveWsClient client = ReactiveWsClient.builder("ws://127.0.0.1:" + port + StateApp.ROUTE)
        .autoReconnect(QUICK.toBuilder().retries(2).build())
        .immediate(false)
        .build()) {
      client.onError(errors::add);
      client.open();
      // The first attempt and two retries.
      await().atMost(PATIENCE).until(() -> errors.size() == 3);
      await().during(Duration.ofMillis(800)).atMost(PATIENCE).until(() -> errors.size() == 3 && client.status() == Status.CLOSED);

      // A new round: one attempt and two retries again.
      client.open();
      await().atMost(PATIENCE).until(() -> errors.size() == 6);
      await().during(Duration.ofMillis(800)).atMost(PATIENCE).until(() -> errors.size() == 6);
    }
  }
}
