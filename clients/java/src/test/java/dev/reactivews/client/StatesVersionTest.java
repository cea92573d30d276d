package dev.reactivews.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reactivews.SendOptions;
import dev.reactivews.netty.ReactiveWs;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/** {@link States#version}: what the last state frame of a topic said of its version, from a real server. */
@Timeout(60)
class StatesVersionTest {
  private static final long EPOCH = 1733212800000L;

  private final StateApp app = new StateApp();
  private ReactiveWs server;
  private ReactiveWsClient client;

  @BeforeEach
  void start() {
    server = app.start(0);
    client = ReactiveWsClient.builder("ws://127.0.0.1:" + server.port() + StateApp.ROUTE).topics("chat").build();
    await().until(() -> app.count("subscribed chat") == 1);
  }

  @AfterEach
  void stop() {
    client.close();
    server.stop();
  }

  /** Publishes the lines as the state of {@code chat} and waits until the client holds them. */
  private void publish(List<String> lines, SendOptions options) {
    server.publisher().publish("chat", lines, options);
    await().until(() -> {
      JsonNode held = client.states().json("chat");
      return held != null && held.size() == lines.size();
    });
  }

  @Test
  void aVersionedStateSetsTheHeldVersionAndAnUnversionedOneClearsIt() {
    assertThat(client.states().version("chat")).isNull();

    publish(List.of("a"), SendOptions.DEFAULT.withVersion(EPOCH, 41));
    assertThat(client.states().version("chat")).isEqualTo(new HeldVersion(String.valueOf(EPOCH), 41));

    publish(List.of("a", "b"), SendOptions.DEFAULT.withVersion(EPOCH, 42));
    assertThat(client.states().version("chat")).isEqualTo(new HeldVersion(String.valueOf(EPOCH), 42));

    publish(List.of("a", "b", "c"), SendOptions.DEFAULT);
    assertThat(client.states().version("chat")).isNull();
    assertThat(client.states().has("chat")).isTrue();

    // A data set of epoch 0, as an app that numbers its states without naming the set sends it.
    publish(List.of("x"), SendOptions.DEFAULT.withVersion(7));
    assertThat(client.states().version("chat")).isEqualTo(new HeldVersion("0", 7));
    assertThat(client.states().version(StateApp.SESSION)).as("a state sent without one").isNull();
  }
}
