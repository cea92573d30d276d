package dev.reactivews.testing.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reactivews.Message;
import dev.reactivews.Peer;
import dev.reactivews.WsConfig;
import dev.reactivews.WsHandler;
import dev.reactivews.state.ListState;
import dev.reactivews.state.MapState;
import dev.reactivews.state.StateTopic;
import dev.reactivews.state.StateVersion;
import dev.reactivews.state.ValueState;
import dev.reactivews.state.Versioned;
import dev.reactivews.testing.HookLog;
import dev.reactivews.testing.TestServer;
import dev.reactivews.testing.WsRecorder;
import dev.reactivews.testing.WsTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * State topics on one server (README, "State topics"), through real clients that read frames as
 * nuxt-ws does: the state on subscribe and at open, each change as a whole state with the next
 * version, and the refusals. A transport runs it by naming itself in a subclass.
 */
@Timeout(60)
public abstract class StateSuite {
  /** A chat line, as the app's type of a list topic's items. */
  public record Line(String user, String text) {}

  /** A card of a board, as the app's type of a map topic's values. */
  public record Card(String title, int votes) {}

  /** Settings, as the app's type of a value topic. */
  public record Settings(String theme) {}

  private static final ObjectMapper JSON = JsonMapper.builder().build();

  protected final HookLog log = new HookLog();
  // Each test sets it (start()) before use: null only between tests.
  @SuppressWarnings("NullAway.Init")
  protected TestServer server;

  /** The transport under test. */
  protected abstract WsTransport transport();

  @AfterEach
  public void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  /**
   * The state topics of these tests: {@code chat} a list, {@code board} a map, {@code room:*}
   * lists, {@code settings} a value starting {@code {"theme":"light"}} and internal, {@code
   * presence} a map and a default topic.
   */
  protected static WsConfig.Builder config() {
    return WsConfig.builder().route("/_ws").defaults("presence").internals("settings").states(
        StateTopic.list("chat"),
        StateTopic.map("board"),
        StateTopic.list("room:*"),
        StateTopic.value("settings").initial(new Settings("light")),
        StateTopic.map("presence"));
  }

  /** A server of the test config whose message hook appends each client's publish to its topic. */
  protected TestServer start(UnaryOperator<WsHandler.Builder> hooks) {
    WsHandler handler = hooks.apply(log.handler().onMessage(this::appendPublished)).build();
    server = TestServer.start(transport(), config().build(), handler);
    return server;
  }

  /** Appends the payload of a client's {@code publish} to the list topic; anything else goes to the log. */
  private void appendPublished(Peer peer, Message message) {
    JsonNode json = message.isBinary() ? null : message.json();
    if (json != null && "publish".equals(json.path("type").asString(null))) {
      peer.states().list(json.get("topic").asString(), Line.class)
          .append(new Line(peer.id(), json.path("payload").path("text").asString()));
      return;
    }
    log.message(peer, message);
  }

  /** The next frame as JSON: a state's topic, {@code v}, {@code epoch} and {@code payload}. */
  protected static JsonNode nextState(WsRecorder client) {
    return WsRecorder.parse(client.next());
  }

  @Test
  public void aSubscriberGetsTheStateAtVersion0BeforeItsSubscribedHookRuns() {
    start(h -> h.onSubscribed((peer, topic) -> peer.send("subscribed " + topic)));
    WsRecorder client = server.connect();
    skipOpenStates(client);
    client.subscribe("chat");
    assertThat(client.next()).isEqualTo("{\"topic\":\"chat\",\"v\":0,\"payload\":[]}");
    assertThat(client.next()).isEqualTo("subscribed chat");
    client.subscribe("board");
    assertThat(client.next()).isEqualTo("{\"topic\":\"board\",\"v\":0,\"payload\":{}}");
    assertThat(client.next()).isEqualTo("subscribed board");
    client.subscribe("room:7");
    assertThat(client.next()).isEqualTo("{\"topic\":\"room:7\",\"v\":0,\"payload\":[]}");
    assertThat(client.next()).isEqualTo("subscribed room:7");
  }

  @Test
  public void everyPeerGetsItsDefaultAndInternalStatesAtOpenBeforeTheOpenHookRuns() {
    start(h -> h.onOpen(peer -> peer.send("open")));
    server.server().states().map("presence", Card.class).put("a", new Card("here", 1));
    WsRecorder client = server.connect();
    List<String> atOpen = List.of(client.next(), client.next());
    assertThat(atOpen).containsExactlyInAnyOrder(
        "{\"topic\":\"settings\",\"v\":0,\"payload\":{\"theme\":\"light\"}}",
        stateFrame("presence", server.server().states().map("presence", Card.class).read().version(),
            "{\"a\":{\"title\":\"here\",\"votes\":1}}"));
    assertThat(client.next()).isEqualTo("open");
  }

  @Test
  public void appendsFromAHookReachEverySubscriberAsWholeStatesWithContiguousVersions() {
    start(UnaryOperator.identity());
    WsRecorder alice = subscribed("chat");
    WsRecorder bob = subscribed("chat");
    for (int i = 1; i <= 3; i++) {
      alice.publish("chat", "{\"text\":\"line " + i + "\"}");
    }
    for (WsRecorder client : List.of(alice, bob)) {
      List<JsonNode> states = List.of(nextState(client), nextState(client), nextState(client));
      assertContiguous(states, 1);
      assertThat(states.get(2).get("payload").size()).isEqualTo(3);
      assertThat(states.get(2).get("payload").get(2).get("text").asString()).isEqualTo("line 3");
    }
    assertThat(log.eventsStartingWith("message ")).isEmpty();
  }

  @Test
  public void putsAndUpdatesFromServerCodeReachTheSubscribers() {
    start(UnaryOperator.identity());
    WsRecorder client = subscribed("board");
    MapState<Card> board = server.server().states().map("board", Card.class);
    StateVersion first = board.put("a", new Card("first", 0));
    assertThat(first.number()).isEqualTo(1);
    Versioned<@Nullable Card> voted = board.update("a", card -> new Card(Objects.requireNonNull(card).title(),
        card.votes() + 1));
    assertThat(voted.value()).isEqualTo(new Card("first", 1));
    assertThat(board.update(map -> Map.of("b", new Card("second", 5))).version().number()).isEqualTo(3);
    assertThat(board.remove("b").number()).isEqualTo(4);

    List<JsonNode> states = List.of(nextState(client), nextState(client), nextState(client), nextState(client));
    assertContiguous(states, 1);
    assertThat(states.get(1).get("payload").toString()).isEqualTo("{\"a\":{\"title\":\"first\",\"votes\":1}}");
    assertThat(states.get(2).get("payload").toString()).isEqualTo("{\"b\":{\"title\":\"second\",\"votes\":5}}");
    assertThat(states.get(3).get("payload").toString()).isEqualTo("{}");
    assertThat(board.read()).isEqualTo(new Versioned<>(Map.of(), new StateVersion(first.epoch(), 4)));
  }

  @Test
  public void aValueTopicChangesThroughSetAndUpdateAndAnUpdateThatChangesNothingKeepsItsVersion() {
    start(UnaryOperator.identity());
    WsRecorder client = server.connect();
    skipOpenStates(client);
    ValueState<Settings> settings = server.server().states().value("settings", Settings.class);
    assertThat(settings.read()).isEqualTo(new Versioned<>(new Settings("light"), StateVersion.NONE));

    StateVersion dark = settings.set(new Settings("dark"));
    assertThat(nextState(client).toString()).isEqualTo(stateFrame("settings", dark, "{\"theme\":\"dark\"}"));
    assertThat(settings.update(s -> new Settings("dark")).version()).isEqualTo(dark);
    assertThat(settings.set(new Settings("dark"))).isEqualTo(dark);
    assertThat(HookLog.marker(client, "after the no-ops")).as("no state frame for a change of nothing")
        .isEqualTo("echo:after the no-ops");
    assertThat(settings.update(s -> new Settings(Objects.requireNonNull(s).theme() + "er")).version().number()).isEqualTo(dark.number() + 1);
    assertThat(nextState(client).get("payload").get("theme").asString()).isEqualTo("darker");
  }

  @Test
  public void appendsAndUpdatesFromManyThreadsAllArriveWithContiguousVersions() throws Exception {
    start(UnaryOperator.identity());
    WsRecorder client = subscribed("chat");
    ListState<Line> chat = server.server().states().list("chat", Line.class);
    int threads = 4;
    int each = 25;
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<Void>> writers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      String user = "t" + t;
      boolean updates = t % 2 == 0;
      writers.add(CompletableFuture.runAsync(() -> {
        awaitQuietly(go);
        for (int i = 0; i < each; i++) {
          Line line = new Line(user, "n" + i);
          if (updates) {
            chat.update(lines -> {
              List<Line> longer = new ArrayList<>(lines);
              longer.add(line);
              return longer;
            });
          } else {
            chat.append(line);
          }
        }
      }));
    }
    go.countDown();
    CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).join();

    List<JsonNode> states = IntStream.range(0, threads * each).mapToObj(i -> nextState(client)).toList();
    assertContiguous(states, 1);
    Versioned<List<Line>> read = chat.read();
    assertThat(read.value()).hasSize(threads * each);
    assertThat(read.version().number()).isEqualTo(threads * each);
    for (int t = 0; t < threads; t++) {
      String user = "t" + t;
      assertThat(read.value().stream().filter(l -> l.user().equals(user)).map(Line::text))
          .as("the lines of one writer, in its order").containsExactlyElementsOf(
              IntStream.range(0, each).mapToObj(i -> "n" + i).toList());
    }
    assertThat(JSON.valueToTree(read.value()).toString()).isEqualTo(states.getLast().get("payload").toString());
  }

  @Test
  public void wholeStatesAreRefusedOnAStateTopicAndStillWorkOnOthers() {
    start(h -> h.onSubscribed((peer, topic) -> {
      try {
        peer.publishState(topic, List.of());
      } catch (IllegalArgumentException e) {
        peer.send("refused: " + e.getMessage());
      }
    }));
    WsRecorder client = subscribed("chat");
    assertThat(client.next()).isEqualTo("refused: 'chat' is a state topic: change it through "
        + "states().list(\"chat\", …), which versions every change");
    assertThatThrownBy(() -> server.server().publisher().publish("board", Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("states().map(\"board\"");
    assertThatThrownBy(() -> server.server().states().list("board", Line.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'board' is declared a map, not a list");
    assertThatThrownBy(() -> server.server().states().value("news", Settings.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'news' is not a state topic");

    client.subscribe("news");
    assertThat(HookLog.marker(client, "subscribed")).isEqualTo("echo:subscribed");
    server.server().publisher().publish("news", List.of("whole"));
    assertThat(client.nextState("news").toString()).isEqualTo("[\"whole\"]");
  }

  @Test
  public void aNuxtWsStyleClientEndsWithWhatTheServerReads() {
    start(UnaryOperator.identity());
    WsRecorder client = subscribed("room:1");
    ListState<Line> room = server.server().states().list("room:1", Line.class);
    room.appendAll(List.of(new Line("a", "1"), new Line("b", "2")));
    room.update(lines -> lines.subList(1, lines.size()));
    room.append(new Line("c", "3"));
    room.clear();
    StateVersion last = room.append(new Line("d", "4"));
    client.nextMatching(frame -> frame.path("v").asLong() == last.number());
    assertThat(client.state("room:1")).isEqualTo(JSON.valueToTree(room.read().value()));
    assertThat(room.read().version()).isEqualTo(last);
  }

  @Test
  public void aPeerThatSubscribesAgainGetsTheCurrentState() {
    start(UnaryOperator.identity());
    WsRecorder client = subscribed("chat");
    ListState<Line> chat = server.server().states().list("chat", Line.class);
    chat.append(new Line("a", "before"));
    assertThat(nextState(client).get("v").asLong()).isEqualTo(1);
    client.send("{\"type\":\"unsubscribe\",\"topic\":\"chat\"}");
    assertThat(HookLog.marker(client, "left")).isEqualTo("echo:left");
    StateVersion meanwhile = chat.append(new Line("a", "while away"));
    client.subscribe("chat");
    assertThat(client.next()).isEqualTo(stateFrame("chat", meanwhile,
        "[{\"user\":\"a\",\"text\":\"before\"},{\"user\":\"a\",\"text\":\"while away\"}]"));
  }

  @Test
  public void aDeclarationEndingInAStarKeepsOneStatePerTopic() {
    start(UnaryOperator.identity());
    StateTopic rooms = server.server().config().stateTopic("room:2");
    assertThat(rooms).isEqualTo(StateTopic.list("room:*"));
    server.server().states().list("room:1", Line.class).append(new Line("a", "one"));
    assertThat(server.server().states().list("room:2", Line.class).read().value()).isEmpty();
  }

  /** A client subscribed to the topic, its state at open and on subscribe read. */
  protected WsRecorder subscribed(String topic) {
    WsRecorder client = server.connect();
    skipOpenStates(client);
    client.subscribe(topic);
    assertThat(client.nextState(topic)).isNotNull();
    return client;
  }

  /** Reads the states of the default and internal topics every peer gets at open. */
  protected static void skipOpenStates(WsRecorder client) {
    assertThat(List.of(nextState(client), nextState(client)))
        .extracting(frame -> frame.get("topic").asString())
        .containsExactlyInAnyOrder("presence", "settings");
  }

  /** The state frame as the server writes it: topic, {@code v}, {@code epoch} unless 0, payload. */
  protected static String stateFrame(String topic, StateVersion version, String payload) {
    return "{\"topic\":\"" + topic + "\",\"v\":" + version.number()
        + (version.epoch() == 0 ? "" : ",\"epoch\":\"" + version.epoch() + "\"") + ",\"payload\":" + payload + "}";
  }

  /** The frames are states of one epoch whose versions go up by one from {@code first}. */
  protected static void assertContiguous(List<JsonNode> states, long first) {
    String epoch = states.getFirst().path("epoch").asString();
    assertThat(epoch).isNotEmpty();
    for (int i = 0; i < states.size(); i++) {
      assertThat(states.get(i).get("v").asLong()).as("version of state %d", i).isEqualTo(first + i);
      assertThat(states.get(i).path("epoch").asString()).isEqualTo(epoch);
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
