package dev.reactivews.testing.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.reactivews.Message;
import dev.reactivews.Peer;
import dev.reactivews.WsConfig;
import dev.reactivews.WsHandler;
import dev.reactivews.internal.JsonMergePatch;
import dev.reactivews.internal.JsonPatch;
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
import java.time.Duration;
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
 * State topics on one server (README, "State topics"), through real clients: plain ones that read
 * frames as nuxt-ws does (the state on subscribe and at open, each change as a whole state with
 * the next version, and the refusals), and delta ones ({@code rws=1}) that get patches and resume
 * from the versions they hold (docs/protocol.md, "Versions, patches and resuming"). A transport
 * runs it by naming itself in a subclass.
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
  /** How long a client must get nothing after a marker came, to show that nothing else was sent. */
  protected static final Duration QUIET_PERIOD = Duration.ofMillis(300);

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
   * presence} a map and a default topic, {@code brief} a list whose log keeps 2 changes.
   */
  protected static WsConfig.Builder config() {
    return WsConfig.builder().route("/_ws").defaults("presence").internals("settings").states(
        StateTopic.list("chat"),
        StateTopic.list("brief").logSize(2),
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

  // --- delta peers: patches and resuming ---

  @Test
  public void aDeltaPeerGetsEachAppendAsOneAddWhileAPlainPeerOnTheSameTopicGetsWholeStates() {
    start(UnaryOperator.identity());
    WsRecorder delta = deltaSubscribed("chat");
    WsRecorder plain = subscribed("chat");
    ListState<Line> chat = server.server().states().list("chat", Line.class);
    StateVersion first = chat.append(new Line("a", "one"));
    StateVersion second = chat.append(new Line("b", "two"));
    StateVersion third = chat.append(new Line("c", "three"));

    assertThat(delta.next()).as("the first change of an epoch is a state, so that the epoch reaches the client")
        .isEqualTo(stateFrame("chat", first, "[{\"user\":\"a\",\"text\":\"one\"}]"));
    assertThat(delta.next()).isEqualTo(
        "{\"topic\":\"chat\",\"v\":2,\"patch\":[{\"op\":\"add\",\"path\":\"/-\",\"value\":{\"user\":\"b\",\"text\":\"two\"}}]}");
    assertThat(delta.next()).isEqualTo(
        "{\"topic\":\"chat\",\"v\":3,\"patch\":[{\"op\":\"add\",\"path\":\"/-\",\"value\":{\"user\":\"c\",\"text\":\"three\"}}]}");
    assertThat(List.of(plain.next(), plain.next(), plain.next())).containsExactly(
        stateFrame("chat", first, "[{\"user\":\"a\",\"text\":\"one\"}]"),
        stateFrame("chat", second, "[{\"user\":\"a\",\"text\":\"one\"},{\"user\":\"b\",\"text\":\"two\"}]"),
        stateFrame("chat", third,
            "[{\"user\":\"a\",\"text\":\"one\"},{\"user\":\"b\",\"text\":\"two\"},{\"user\":\"c\",\"text\":\"three\"}]"));
    assertQuietAfterMarker(delta, "after the appends");
  }

  @Test
  public void aDeltaPeerThatAppliesEachFrameEndsWithWhatTheServerReadsAfterWritersRaced() {
    start(UnaryOperator.identity());
    WsRecorder delta = deltaSubscribed("room:9");
    ListState<Line> room = server.server().states().list("room:9", Line.class);
    List<CompletableFuture<Void>> writers = new ArrayList<>();
    for (int t = 0; t < 3; t++) {
      String user = "t" + t;
      int kind = t;
      writers.add(CompletableFuture.runAsync(() -> {
        for (int i = 0; i < 20; i++) {
          Line line = new Line(user, "n" + i);
          switch (kind) {
            case 0 -> room.append(line);
            case 1 -> room.update(lines -> {
              List<Line> changed = new ArrayList<>(lines.isEmpty() ? List.of() : lines.subList(1, lines.size()));
              changed.add(line);
              return changed;
            });
            default -> room.update(lines -> lines.stream()
                .map(old -> old.user().equals("t0") ? new Line(old.user(), old.text() + "'") : old).toList());
          }
        }
      }));
    }
    CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).join();
    Versioned<List<Line>> read = room.read();

    JsonNode held = JSON.createArrayNode();
    long heldVersion = 0;
    while (heldVersion < read.version().number()) {
      JsonNode frame = nextState(delta);
      if (frame.has("payload")) {
        held = frame.get("payload");
      } else {
        assertThat(frame.get("v").asLong()).as("a patch follows on from the version held").isEqualTo(heldVersion + 1);
        held = frame.has("patch") ? JsonPatch.apply(held, frame.get("patch")) : JsonMergePatch.apply(held, frame.get("merge"));
      }
      heldVersion = frame.get("v").asLong();
    }
    assertThat(held).isEqualTo(JSON.valueToTree(read.value()));
  }

  @Test
  public void aDeltaPeerGetsMapPutsAndRemovesAsPatchesAndAnEntryUpdateAsAMergePatch() {
    start(UnaryOperator.identity());
    WsRecorder delta = deltaSubscribed("board");
    MapState<Card> board = server.server().states().map("board", Card.class);
    StateVersion first = board.put("a", new Card("first", 0));
    board.put("b", new Card("second", 0));
    board.update("a", card -> new Card(Objects.requireNonNull(card).title(), card.votes() + 1));
    board.remove("b");

    assertThat(delta.next()).isEqualTo(stateFrame("board", first, "{\"a\":{\"title\":\"first\",\"votes\":0}}"));
    assertThat(delta.next()).isEqualTo(
        "{\"topic\":\"board\",\"v\":2,\"patch\":[{\"op\":\"add\",\"path\":\"/b\",\"value\":{\"title\":\"second\",\"votes\":0}}]}");
    assertThat(delta.next()).isEqualTo("{\"topic\":\"board\",\"v\":3,\"merge\":{\"a\":{\"votes\":1}}}");
    assertThat(delta.next()).isEqualTo("{\"topic\":\"board\",\"v\":4,\"patch\":[{\"op\":\"remove\",\"path\":\"/b\"}]}");
  }

  @Test
  public void aWholeStateChangeReachesADeltaPeerAsAState() {
    start(UnaryOperator.identity());
    WsRecorder delta = deltaSubscribed("chat");
    ListState<Line> chat = server.server().states().list("chat", Line.class);
    chat.append(new Line("a", "one"));
    assertThat(nextState(delta).get("v").asLong()).isEqualTo(1);
    StateVersion cleared = chat.clear();
    assertThat(delta.next()).isEqualTo(stateFrame("chat", cleared, "[]"));
  }

  @Test
  public void aDeltaPeerThatSubscribesHoldingTheCurrentVersionGetsNothingUntilTheNextChange() {
    start(UnaryOperator.identity());
    ListState<Line> chat = server.server().states().list("chat", Line.class);
    chat.append(new Line("a", "one"));
    StateVersion current = chat.append(new Line("b", "two"));
    WsRecorder delta = deltaClient();
    skipOpenStates(delta);
    delta.send(subscribeHolding("chat", current));
    assertQuietAfterMarker(delta, "after the subscribe");

    chat.append(new Line("c", "three"));
    assertThat(delta.next()).isEqualTo(
        "{\"topic\":\"chat\",\"v\":3,\"patch\":[{\"op\":\"add\",\"path\":\"/-\",\"value\":{\"user\":\"c\",\"text\":\"three\"}}]}");
  }

  @Test
  public void aDeltaPeerThatSubscribesHoldingAnOlderVersionGetsExactlyThePatchesItMissed() {
    start(UnaryOperator.identity());
    ListState<Line> chat = server.server().states().list("chat", Line.class);
    chat.append(new Line("a", "1"));
    StateVersion held = chat.append(new Line("a", "2"));
    for (int i = 3; i <= 5; i++) {
      chat.append(new Line("a", String.valueOf(i)));
    }
    WsRecorder delta = deltaClient();
    skipOpenStates(delta);
    delta.send(subscribeHolding("chat", held));
    assertThat(List.of(delta.next(), delta.next(), delta.next())).containsExactly(
        "{\"topic\":\"chat\",\"v\":3,\"patch\":[{\"op\":\"add\",\"path\":\"/-\",\"value\":{\"user\":\"a\",\"text\":\"3\"}}]}",
        "{\"topic\":\"chat\",\"v\":4,\"patch\":[{\"op\":\"add\",\"path\":\"/-\",\"value\":{\"user\":\"a\",\"text\":\"4\"}}]}",
        "{\"topic\":\"chat\",\"v\":5,\"patch\":[{\"op\":\"add\",\"path\":\"/-\",\"value\":{\"user\":\"a\",\"text\":\"5\"}}]}");
    assertQuietAfterMarker(delta, "after the missed patches");
  }

  @Test
  public void aDeltaPeerThatMissedMoreThanTheLogKeepsGetsTheWholeState() {
    start(UnaryOperator.identity());
    ListState<Line> brief = server.server().states().list("brief", Line.class);
    List<StateVersion> versions = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      versions.add(brief.append(new Line("a", String.valueOf(i))));
    }
    String whole = JSON.valueToTree(brief.read().value()).toString();
    WsRecorder tooOld = deltaClient();
    skipOpenStates(tooOld);
    tooOld.send(subscribeHolding("brief", versions.get(1)));
    assertThat(tooOld.next()).as("versions 3 to 5 missed, and the log keeps 2").isEqualTo(
        stateFrame("brief", versions.get(4), whole));

    WsRecorder withinTheLog = deltaClient();
    skipOpenStates(withinTheLog);
    withinTheLog.send(subscribeHolding("brief", versions.get(2)));
    List<JsonNode> missed = List.of(nextState(withinTheLog), nextState(withinTheLog));
    assertThat(missed).as("versions 4 and 5 missed, as many as the log keeps")
        .allMatch(frame -> frame.has("patch") && !frame.has("payload"))
        .extracting(frame -> frame.get("v").asLong()).containsExactly(4L, 5L);
  }

  @Test
  public void aDeltaPeerHoldingAnotherEpochOrAVersionTheServerHasNotReachedGetsTheWholeState() {
    start(UnaryOperator.identity());
    ListState<Line> chat = server.server().states().list("chat", Line.class);
    chat.append(new Line("a", "1"));
    StateVersion current = chat.append(new Line("a", "2"));
    String whole = "[{\"user\":\"a\",\"text\":\"1\"},{\"user\":\"a\",\"text\":\"2\"}]";
    for (StateVersion held : List.of(new StateVersion(current.epoch() + 1, 1), new StateVersion(0, 0),
        new StateVersion(current.epoch(), current.number() + 3))) {
      WsRecorder delta = deltaClient();
      skipOpenStates(delta);
      delta.send(subscribeHolding("chat", held));
      assertThat(delta.next()).as("holding %s", held).isEqualTo(stateFrame("chat", current, whole));
    }
  }

  @Test
  public void rwsSinceResumesTheDefaultAndInternalStateTopicsAtOpen() {
    start(UnaryOperator.identity());
    MapState<Card> presence = server.server().states().map("presence", Card.class);
    StateVersion first = presence.put("a", new Card("ann", 1));
    StateVersion second = presence.put("b", new Card("bob", 2));

    WsRecorder behind = deltaClient("&rws.since=" + first.epoch() + ".1.presence");
    assertThat(List.of(behind.next(), behind.next())).containsExactlyInAnyOrder(
        "{\"topic\":\"settings\",\"v\":0,\"payload\":{\"theme\":\"light\"}}",
        "{\"topic\":\"presence\",\"v\":2,\"patch\":[{\"op\":\"add\",\"path\":\"/b\",\"value\":{\"title\":\"bob\",\"votes\":2}}]}");
    assertQuietAfterMarker(behind, "after the open states");

    WsRecorder upToDate = deltaClient("&rws.since=" + second.epoch() + ".2.presence&rws.since=0.0.settings");
    assertQuietAfterMarker(upToDate, "nothing at open");

    WsRecorder plain = server.connect("?rws.since=" + second.epoch() + ".2.presence", Map.of());
    assertThat(List.of(plain.next(), plain.next())).as("a plain peer gets whole states, whatever it says it holds")
        .containsExactlyInAnyOrder("{\"topic\":\"settings\",\"v\":0,\"payload\":{\"theme\":\"light\"}}",
            stateFrame("presence", second, "{\"a\":{\"title\":\"ann\",\"votes\":1},\"b\":{\"title\":\"bob\",\"votes\":2}}"));
  }

  @Test
  public void aResyncGetsTheMissedPatchesOrWithoutAVersionTheWholeState() {
    start(UnaryOperator.identity());
    WsRecorder delta = deltaSubscribed("chat");
    WsRecorder plain = subscribed("chat");
    ListState<Line> chat = server.server().states().list("chat", Line.class);
    StateVersion first = chat.append(new Line("a", "1"));
    chat.append(new Line("a", "2"));
    StateVersion current = chat.append(new Line("a", "3"));
    List<String> patches = List.of(delta.next(), delta.next(), delta.next()).subList(1, 3);
    String whole = "[{\"user\":\"a\",\"text\":\"1\"},{\"user\":\"a\",\"text\":\"2\"},{\"user\":\"a\",\"text\":\"3\"}]";

    delta.send(resyncHolding("chat", first));
    assertThat(List.of(delta.next(), delta.next())).isEqualTo(patches);
    delta.send(resyncHolding("chat", current));
    assertQuietAfterMarker(delta, "after a resync of the current version");
    delta.send("{\"type\":\"resync\",\"topic\":\"chat\"}");
    assertThat(delta.next()).isEqualTo(stateFrame("chat", current, whole));

    assertThat(plain.nextMatching(frame -> frame.path("v").asLong() == current.number()).has("payload")).isTrue();
    plain.send(resyncHolding("chat", first));
    assertThat(plain.next()).as("a plain peer takes no patches").isEqualTo(stateFrame("chat", current, whole));
    assertThat(log.eventsStartingWith("message {\"type\":\"resync\"")).as("the app never sees a resync").isEmpty();
  }

  @Test
  public void badResyncsAndVersionsAreRefusedAndThePeerKeepsItsStateAndTopics() {
    start(UnaryOperator.identity());
    WsRecorder delta = deltaSubscribed("chat");
    ListState<Line> chat = server.server().states().list("chat", Line.class);
    StateVersion first = chat.append(new Line("a", "1"));
    assertThat(nextState(delta).get("v").asLong()).isEqualTo(1);
    String epoch = "\"" + first.epoch() + "\"";
    List<String> refused = List.of(
        "{\"type\":\"resync\"}",
        "{\"type\":\"resync\",\"topic\":\"news\"}",
        "{\"type\":\"resync\",\"topic\":\"board\"}",
        "{\"type\":\"resync\",\"topic\":\"chat\",\"epoch\":" + first.epoch() + ",\"v\":1}",
        "{\"type\":\"resync\",\"topic\":\"chat\",\"epoch\":\"1e5\",\"v\":1}",
        "{\"type\":\"resync\",\"topic\":\"chat\",\"epoch\":" + epoch + ",\"v\":-1}",
        "{\"type\":\"resync\",\"topic\":\"chat\",\"epoch\":" + epoch + ",\"v\":\"1\"}",
        "{\"type\":\"resync\",\"topic\":\"chat\",\"epoch\":" + epoch + "}",
        "{\"type\":\"resync\",\"topic\":\"chat\",\"v\":0.5}",
        "{\"type\":\"subscribe\",\"topic\":\"board\",\"epoch\":" + epoch + ",\"v\":1.5}");
    for (String frame : refused) {
      delta.send(frame);
      JsonNode error = WsRecorder.parse(delta.next());
      assertThat(error.get("type").asString()).as(frame).isEqualTo("error");
      assertThat(error.get("code").asString()).as(frame).isEqualTo("bad_request");
    }

    chat.append(new Line("a", "2"));
    assertThat(delta.next()).as("still at version 1, so the next change is a patch").isEqualTo(
        "{\"topic\":\"chat\",\"v\":2,\"patch\":[{\"op\":\"add\",\"path\":\"/-\",\"value\":{\"user\":\"a\",\"text\":\"2\"}}]}");
    server.server().states().map("board", Card.class).put("a", new Card("unseen", 0));
    assertQuietAfterMarker(delta, "not subscribed to board");
    assertThat(log.eventsStartingWith("message {\"type\":\"resync\"")).isEmpty();
  }

  @Test
  public void aMalformedRwsSinceEntryIsRefusedAndItsTopicGetsTheWholeState() {
    start(UnaryOperator.identity());
    WsRecorder delta = deltaClient("&rws.since=x.presence&rws.since=12.presence");
    List<JsonNode> frames = IntStream.range(0, 4).mapToObj(i -> WsRecorder.parse(delta.next())).toList();
    assertThat(frames).filteredOn(frame -> "error".equals(frame.path("type").asString()))
        .extracting(frame -> frame.get("code").asString()).containsExactly("bad_request", "bad_request");
    assertThat(frames).filteredOn(frame -> frame.has("payload"))
        .extracting(frame -> frame.get("topic").asString()).containsExactlyInAnyOrder("presence", "settings");
  }

  /** A delta client ({@code rws=1}) with more of a query ({@code "&a=b"}). */
  protected WsRecorder deltaClient(String moreQuery) {
    return server.connect("?rws=1" + moreQuery, Map.of());
  }

  protected WsRecorder deltaClient() {
    return deltaClient("");
  }

  /** A delta client subscribed to the topic, holding nothing before, its states read. */
  protected WsRecorder deltaSubscribed(String topic) {
    return subscribed(deltaClient(), topic);
  }

  protected static String subscribeHolding(String topic, StateVersion held) {
    return holding("subscribe", topic, held);
  }

  protected static String resyncHolding(String topic, StateVersion held) {
    return holding("resync", topic, held);
  }

  /** A frame of the type for the topic, with the version the client holds. */
  private static String holding(String type, String topic, StateVersion held) {
    return "{\"type\":\"" + type + "\",\"topic\":\"" + topic + "\",\"epoch\":\"" + held.epoch() + "\",\"v\":"
        + held.number() + "}";
  }

  /** The marker is the next frame, and nothing follows it for {@link #QUIET_PERIOD}. */
  protected static void assertQuietAfterMarker(WsRecorder client, String marker) {
    assertThat(HookLog.marker(client, marker)).isEqualTo(HookLog.ECHO + marker);
    int received = client.received().size();
    await().during(QUIET_PERIOD).atMost(QUIET_PERIOD.multipliedBy(4))
        .until(() -> client.received().size() == received);
  }

  /** A client subscribed to the topic, its state at open and on subscribe read. */
  protected WsRecorder subscribed(String topic) {
    return subscribed(server.connect(), topic);
  }

  /** The client subscribed to the topic, its state at open and on subscribe read. */
  protected static WsRecorder subscribed(WsRecorder client, String topic) {
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
