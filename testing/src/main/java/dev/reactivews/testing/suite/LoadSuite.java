package dev.reactivews.testing.suite;

import static dev.reactivews.testing.HookLog.marker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reactivews.Peer;
import dev.reactivews.WsConfig;
import dev.reactivews.WsHandler;
import dev.reactivews.testing.HookLog;
import dev.reactivews.testing.TestServer;
import dev.reactivews.testing.WsRecorder;
import dev.reactivews.testing.WsTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/**
 * What a transport keeps under load: each sender's messages reach every subscriber in the order
 * they were sent, none lost, and stopping delivers what the server had accepted before the
 * close. A transport runs it by naming itself in a subclass.
 */
@Timeout(120)
public abstract class LoadSuite {
  private static final String TOPIC = "load";

  private final HookLog log = new HookLog();
  // Each test sets it (start()) before use: null only between tests.
  @SuppressWarnings("NullAway.Init")
  private TestServer server;

  /** The transport under test. */
  protected abstract WsTransport transport();

  @AfterEach
  public void stop() throws Exception {
    server.close();
  }

  /** A server whose message hook publishes each client's publish frame to the topic's other subscribers. */
  private void start() {
    WsHandler handler = log.handler().onMessage((peer, message) -> {
      JsonNode json = message.json();
      if ("publish".equals(json.path("type").asString())) {
        peer.publishState(json.get("topic").asString(), json.get("payload"));
      } else {
        log.message(peer, message);
      }
    }).build();
    // Clients here send as fast as they can: no rate limit, and room for every message at once.
    WsConfig config = WsConfig.builder().maxMessagesPerSecond(0).maxQueuedMessages(10_000).build();
    server = TestServer.start(transport(), config, handler);
  }

  private WsRecorder subscriber() {
    WsRecorder client = server.connect().subscribe(TOPIC);
    assertThat(marker(client, "subscribed")).isEqualTo("echo:subscribed");
    return client;
  }

  /** Per sender ({@code from}), the numbers ({@code n}) of the client's states of the topic, in arrival order. */
  private static Map<String, List<Integer>> numbersBySender(WsRecorder client) {
    Map<String, List<Integer>> numbers = new LinkedHashMap<>();
    for (String text : client.received()) {
      JsonNode message = WsRecorder.parse(text);
      if (TOPIC.equals(message.path("topic").asString())) {
        JsonNode payload = message.get("payload");
        numbers.computeIfAbsent(payload.get("from").asString(), k -> new ArrayList<>()).add(payload.get("n").intValue());
      }
    }
    return numbers;
  }

  private static long statesOfTheTopic(WsRecorder client) {
    return client.received().stream().filter(text -> text.startsWith("{\"topic\":\"" + TOPIC + "\"")).count();
  }

  private static List<Integer> upTo(int count) {
    return IntStream.range(0, count).boxed().toList();
  }

  @Test
  public void concurrentPublishersReachEverySubscriberInTheirOwnOrderAndNothingIsLost() throws Exception {
    start();
    int perPublisher = 1000;
    List<WsRecorder> publishers = new ArrayList<>();
    for (int p = 0; p < 4; p++) {
      publishers.add(subscriber());
    }
    List<WsRecorder> listeners = List.of(subscriber(), subscriber(), subscriber());

    List<Thread> senders = new ArrayList<>();
    for (int p = 0; p < publishers.size(); p++) {
      WsRecorder publisher = publishers.get(p);
      String from = "client-" + p;
      senders.add(Thread.ofVirtual().start(() -> {
        for (int n = 0; n < perPublisher; n++) {
          publisher.publish(TOPIC, "{\"from\":\"" + from + "\",\"n\":" + n + "}");
        }
      }));
    }
    senders.add(Thread.ofVirtual().start(() -> {
      for (int n = 0; n < perPublisher; n++) {
        server.server().publisher().publish(TOPIC, Map.of("from", "server", "n", n));
      }
    }));
    for (Thread sender : senders) {
      sender.join();
    }

    // A peer's own publishes never come back to it.
    publishers.forEach(client -> await().atMost(Duration.ofSeconds(60))
        .until(() -> statesOfTheTopic(client) == (long) publishers.size() * perPublisher));
    listeners.forEach(client -> await().atMost(Duration.ofSeconds(60))
        .until(() -> statesOfTheTopic(client) == (long) (publishers.size() + 1) * perPublisher));
    for (int p = 0; p < publishers.size(); p++) {
      Map<String, List<Integer>> numbers = numbersBySender(publishers.get(p));
      assertThat(numbers).doesNotContainKey("client-" + p).hasSize(publishers.size());
      numbers.forEach((from, received) -> assertThat(received).as("from %s", from).isEqualTo(upTo(perPublisher)));
    }
    for (WsRecorder listener : listeners) {
      Map<String, List<Integer>> numbers = numbersBySender(listener);
      assertThat(numbers).hasSize(publishers.size() + 1);
      numbers.forEach((from, received) -> assertThat(received).as("from %s", from).isEqualTo(upTo(perPublisher)));
    }
  }

  @Test
  public void stopDeliversEverySendAndPublishAcceptedBeforeItThenCloses1001() {
    start();
    List<WsRecorder> clients = List.of(subscriber(), subscriber(), subscriber(), subscriber(), subscriber());
    List<Peer> peers = List.copyOf(server.server().peers());
    // Enough that the transport still has some of it to write when the stop begins.
    int burst = 5000;
    for (int n = 0; n < burst; n++) {
      assertThat(server.server().publisher().publish(TOPIC, Map.of("from", "server", "n", n))).isEqualTo(clients.size());
      for (Peer peer : peers) {
        assertThat(peer.send("direct " + n)).isTrue();
      }
    }
    server.server().close();

    for (WsRecorder client : clients) {
      assertThat(client.awaitClose()).isEqualTo(1001);
      List<Integer> published = numbersBySender(client).getOrDefault("server", List.of());
      List<String> sent = client.received().stream().filter(text -> text.startsWith("direct ")).toList();
      assertThat(published.size()).as("publishes that arrived before the close").isEqualTo(burst);
      assertThat(sent.size()).as("sends that arrived before the close").isEqualTo(burst);
      assertThat(published).isEqualTo(upTo(burst));
      assertThat(sent).isEqualTo(upTo(burst).stream().map(n -> "direct " + n).toList());
    }
    assertThat(log.eventsStartingWith("close ")).hasSize(clients.size()).containsOnly("close 1001");
  }
}
