package dev.reactivews.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reactivews.netty.ReactiveWs;
import dev.reactivews.state.ListState;
import dev.reactivews.state.MapState;
import dev.reactivews.state.StateTopic;
import dev.reactivews.state.StateVersion;
import dev.reactivews.state.Versioned;
import dev.reactivews.testing.HookLog;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * The client with deltas (the default) against a real server's state topics: whatever the server
 * sends, whole states today, the client ends with the server's state and version, across appends
 * and a connection made again (the server closes the first) that resubscribes holding a version.
 */
@Timeout(60)
class StateTopicClientTest {
  record ChatLine(String user, String text) {}

  private static final String ROUTE = "/_ws";
  private static final ObjectMapper JSON = new ObjectMapper();
  /** A default state topic: the client holds its version, and says so on the handshake URL. */
  private static final String PRESENCE = "presence";

  private final HookLog log = new HookLog();
  private ReactiveWs server;
  private ReactiveWsClient client;

  @BeforeEach
  void start() {
    server = ReactiveWs.create(cfg -> cfg
            .ws(ws -> ws.route(ROUTE).defaults(PRESENCE).states(StateTopic.list("chat"), StateTopic.map(PRESENCE)))
            .handler(log.handler()
                .onUpgrade(request -> log.add("upgrade " + request.uri()))
                .onMessage((peer, message) -> {
                  log.message(peer, message);
                  if (message.text().equals("close")) {
                    peer.close(4000, "asked to");
                  }
                })
                .build()))
        .start(0);
    client = ReactiveWsClient.builder("ws://127.0.0.1:" + server.port() + ROUTE)
        .topics("chat")
        .bind("chat", new TypeReference<List<ChatLine>>() {})
        .build();
  }

  @AfterEach
  void stop() {
    client.close();
    server.stop();
  }

  /** Whether the client holds the server's state of the topic, at the server's version. */
  private boolean inStep(String topic, Versioned<?> expected) {
    StateVersion version = expected.version();
    HeldVersion held = client.states().version(topic);
    String epoch = String.valueOf(version.epoch());
    return held != null && held.epoch().equals(epoch) && held.number() == version.number()
        && JSON.valueToTree(expected.value()).equals(client.states().json(topic));
  }

  @Test
  void theClientEndsWithTheServersStateAfterAppendsAndAReconnect() {
    ListState<ChatLine> chat = server.states().list("chat", ChatLine.class);
    MapState<String> presence = server.states().map(PRESENCE, String.class);
    await().until(() -> client.status() == Status.OPEN && client.states().version("chat") != null);
    assertThat(client.states().version("chat")).as("nothing stored yet").isEqualTo(new HeldVersion("0", 0));

    for (int i = 0; i < 20; i++) {
      chat.append(new ChatLine("ann", "line " + i));
    }
    presence.put("ann", "here");
    await().until(() -> inStep("chat", chat.read()) && inStep(PRESENCE, presence.read()));
    List<ChatLine> typed = client.states().get("chat");
    assertThat(typed).hasSize(20).endsWith(new ChatLine("ann", "line 19"));

    client.send("close");
    await().until(() -> client.status() == Status.CLOSED);
    chat.append(new ChatLine("bob", "while away"));
    presence.put("bob", "here");
    client.open();
    await().until(() -> client.status() == Status.OPEN);
    await("the resubscribe, holding a version, gets the state that follows it")
        .until(() -> inStep("chat", chat.read()) && inStep(PRESENCE, presence.read()));
    assertThat(client.states().<List<ChatLine>>get("chat")).hasSize(21).endsWith(new ChatLine("bob", "while away"));
    assertThat(log.events()).as("a server that answers no resync never got one")
        .noneMatch(event -> event.contains("resync"));
  }

  @Test
  void theHandshakeSaysRws1AndTheVersionHeldOfTheDefaultTopic() {
    MapState<String> presence = server.states().map(PRESENCE, String.class);
    presence.put("ann", "here");
    await().until(() -> inStep(PRESENCE, presence.read()));
    StateVersion held = presence.read().version();

    client.send("close");
    await().until(() -> client.status() == Status.CLOSED);
    client.open();
    await().until(() -> log.eventsStartingWith("upgrade").size() == 2);
    assertThat(log.eventsStartingWith("upgrade"))
        .first().asString().as("nothing held yet at the first handshake").endsWith(ROUTE + "?rws=1");
    assertThat(log.eventsStartingWith("upgrade"))
        .last().asString()
        .contains("rws=1")
        .contains("rws.since=" + held.epoch() + "." + held.number() + "." + PRESENCE);
    await().until(() -> client.status() == Status.OPEN);
    presence.put("cy", "here");
    await().until(() -> inStep(PRESENCE, presence.read()));
    assertThat(client.states().get(PRESENCE, new TypeReference<Map<String, String>>() {}))
        .containsOnlyKeys("ann", "cy");
  }
}
