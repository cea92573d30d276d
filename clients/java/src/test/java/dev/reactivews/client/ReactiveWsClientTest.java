package dev.reactivews.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reactivews.Peer;
import dev.reactivews.TopicAction;
import dev.reactivews.UpgradeRejectedException;
import dev.reactivews.client.internal.RealReactiveWsClient;
import dev.reactivews.netty.ReactiveWs;
import dev.reactivews.testing.HookLog;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;

/**
 * The client against a real server on an ephemeral port. (Long because it is a list of cases
 * that each stand alone.)
 */
@Timeout(60)
class ReactiveWsClientTest {
  /** Long enough for a message that was going to arrive to have arrived, on a busy machine. */
  private static final Duration QUIET_PERIOD = Duration.ofMillis(300);

  record ChatLine(String user, String text) {}

  record Session(int users) {}

  private final StateApp app = new StateApp();
  private final List<ReactiveWsClient> clients = new ArrayList<>();
  private ReactiveWs server;

  @BeforeEach
  void start() {
    server = app.start(0);
  }

  @AfterEach
  void stop() {
    clients.forEach(ReactiveWsClient::close);
    server.stop();
  }

  private String url() {
    return "ws://127.0.0.1:" + server.port() + StateApp.ROUTE;
  }

  private ReactiveWsClient track(ReactiveWsClient client) {
    clients.add(client);
    return client;
  }

  private ReactiveWsClient connect(ReactiveWsClient.Builder builder) {
    ReactiveWsClient client = track(builder.build());
    await().until(() -> client.status() == Status.OPEN);
    return client;
  }

  /** Sends an echo marker and waits until it comes back: everything sent before it has been handled. */
  private static void roundTrip(ReactiveWsClient client, String name) {
    List<String> echoes = new CopyOnWriteArrayList<>();
    Registration registration = client.onData(data -> echoes.add(data.text()));
    assertThat(client.send(HookLog.ECHO + name)).isTrue();
    await().until(() -> echoes.contains(HookLog.ECHO + name));
    registration.remove();
  }

  @Test
  void boundTopicsAreDecodedOnArrivalAndAnyTopicOnDemand() {
    app.states.put("chat", List.of(new ChatLine("ann", "hi"), new ChatLine("bob", "yo")));
    ReactiveWsClient client = connect(ReactiveWsClient.builder(url())
        .topics("chat", "notes")
        .bind("chat", new TypeReference<List<ChatLine>>() {})
        .bind(StateApp.SESSION, Session.class));
    await().until(() -> client.states().has("chat") && client.states().has(StateApp.SESSION));

    List<ChatLine> chat = client.states().get("chat");
    assertThat(chat).containsExactly(new ChatLine("ann", "hi"), new ChatLine("bob", "yo"));
    Session session = client.states().get(StateApp.SESSION);
    assertThat(session).isEqualTo(new Session(1));
    assertThat(client.states().get("chat", ChatLine[].class)).hasSize(2);
    assertThat(client.states().json("chat").get(1).get("user").asString()).isEqualTo("bob");

    client.publish("notes", Map.of("title", "todo"));
    await().until(() -> client.states().has("notes"));
    JsonNode notes = client.states().get("notes");
    assertThat(notes.get("title").asString()).isEqualTo("todo");
    assertThat(client.states().get("notes", new TypeReference<Map<String, String>>() {})).containsEntry("title", "todo");

    client.publish("chat", List.of(Map.of("user", "cy", "text", "new field", "seq", 3)));
    await("a field the bound type does not declare is ignored")
        .until(() -> client.states().<List<ChatLine>>get("chat").equals(List.of(new ChatLine("cy", "new field"))));
    assertThat(client.states().get("missing", String.class)).isNull();
    assertThat(client.states().topics()).contains("chat", "notes", StateApp.SESSION);
  }

  @Test
  void aStateThatDoesNotFitItsTypeIsReportedAndTheLastGoodOneKept() {
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    ReactiveWsClient client = connect(ReactiveWsClient.builder(url()).bind("chat", new TypeReference<List<ChatLine>>() {}));
    client.onError(errors::add);
    client.publish("chat", List.of(Map.of("user", "ann", "text", "hi")));
    await().until(() -> client.states().has("chat"));

    client.publish("chat", "not a list of lines");
    await().until(() -> !errors.isEmpty());
    assertThat(errors.getFirst()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("topic 'chat'");
    List<ChatLine> kept = client.states().get("chat");
    assertThat(kept).containsExactly(new ChatLine("ann", "hi"));
    assertThat(client.status()).isEqualTo(Status.OPEN);

    client.publish("chat", List.of(Map.of("user", "bob", "text", "back")));
    await().until(() -> client.states().<List<ChatLine>>get("chat").equals(List.of(new ChatLine("bob", "back"))));
  }

  @Test
  void aNullPayloadIsPublishedAndABoundTopicHoldsNullForIt() {
    ReactiveWsClient client = connect(ReactiveWsClient.builder(url()).topics("chat").bind("chat", new TypeReference<List<ChatLine>>() {}));
    List<List<ChatLine>> heard = new CopyOnWriteArrayList<>();
    client.onState("chat", (List<ChatLine> chat) -> heard.add(chat));
    client.publish("chat", List.of(Map.of("user", "ann", "text", "hi")));
    await().until(() -> heard.size() == 1);

    assertThat(client.publish("chat", null)).isTrue();
    await().until(() -> heard.size() == 2);
    assertThat(heard).containsExactly(List.of(new ChatLine("ann", "hi")), null);
    assertThat(client.states().has("chat")).isTrue();
    assertThat(client.states().<List<ChatLine>>get("chat")).isNull();
    assertThat(client.states().get("chat", String.class)).isNull();
    assertThat(client.states().json("chat").isNull()).isTrue();
  }

  @Test
  void listenersRunOnTheClientsThreadInEventOrderThenRegistrationOrder() {
    ReactiveWsClient client = track(ReactiveWsClient.builder(url()).topics("count").immediate(false).build());
    List<String> calls = new CopyOnWriteArrayList<>();
    Set<String> threads = ConcurrentHashMap.newKeySet();
    client.onState("count", (JsonNode value) -> calls.add("a" + value.asInt()));
    client.onState("count", (JsonNode value) -> {
      calls.add("b" + value.asInt());
      threads.add(Thread.currentThread().getName());
    });
    client.onChange(snapshot -> calls.add("change " + snapshot.status()
        + (snapshot.states().has("count") ? " " + snapshot.states().json("count").asInt() : "")));
    client.onStatus(status -> calls.add("status " + status));

    client.open();
    await().until(() -> calls.contains("status OPEN"));
    for (int i = 1; i <= 3; i++) {
      client.publish("count", i);
    }
    await().until(() -> calls.contains("change OPEN 3"));

    assertThat(calls).containsExactly(
        "change CLOSED", "status CLOSED",                   // heard at once when added
        "change CONNECTING", "status CONNECTING",
        "change OPEN", "status OPEN",
        "change OPEN",                                      // the session state the server sends on open
        "a1", "b1", "change OPEN 1",
        "a2", "b2", "change OPEN 2",
        "a3", "b3", "change OPEN 3");
    assertThat(threads).singleElement().asString().startsWith(RealReactiveWsClient.THREAD_PREFIX).endsWith("-events");

    List<Integer> late = new CopyOnWriteArrayList<>();
    client.onState("count", (JsonNode value) -> late.add(value.asInt()));
    client.publish("count", 4);
    await().until(() -> late.size() == 2);
    assertThat(late).containsExactly(3, 4);
  }

  @Test
  void aRemovedListenerHearsNothingMore() {
    ReactiveWsClient client = connect(ReactiveWsClient.builder(url()));
    List<Integer> heard = new CopyOnWriteArrayList<>();
    Registration registration = client.onState("count", (JsonNode value) -> heard.add(value.asInt()));
    client.publish("count", 1);
    await().until(() -> heard.equals(List.of(1)));

    registration.remove();
    client.publish("count", 2);
    await().until(() -> client.states().json("count").asInt() == 2);
    roundTrip(client, "after-removal");
    assertThat(heard).containsExactly(1);
  }

  @Test
  void aListenerMaySendAndCloseWithoutDeadlock() {
    ReactiveWsClient client = connect(ReactiveWsClient.builder(url()));
    List<String> seen = new CopyOnWriteArrayList<>();
    client.onState("count", (JsonNode value) -> client.send(HookLog.ECHO + "from-listener"));
    client.onData(data -> {
      seen.add(data.text());
      client.close();
      seen.add("closed");
    });
    client.publish("count", 1);

    await().until(() -> seen.contains("closed"));
    assertThat(seen).containsExactly(HookLog.ECHO + "from-listener", "closed");
    assertThat(client.status()).isEqualTo(Status.CLOSED);
    await().until(() -> clientThreads(client).isEmpty());
    await().until(() -> server.peers().isEmpty());
  }

  @Test
  void aSlowListenerPausesReadingAndLosesNothing() throws Exception {
    ReactiveWsClient client = connect(ReactiveWsClient.builder(url()).topics("count"));
    await().until(() -> server.peers().stream().allMatch(p -> p.topics().contains("count")));
    CountDownLatch release = new CountDownLatch(1);
    List<Integer> heard = new CopyOnWriteArrayList<>();
    client.onState("count", (JsonNode value) -> {
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      heard.add(value.asInt());
    });

    int total = 1000;
    for (int i = 1; i <= total; i++) {
      server.publisher().publish("count", i);
    }
    await().until(() -> client.states().has("count"));
    // The listener holds every event: the client reads a backlog's worth, then stops reading.
    await().during(QUIET_PERIOD).until(() -> client.states().json("count").asInt() <= 300);

    release.countDown();
    await().until(() -> heard.size() == total);
    assertThat(heard).isSortedAccordingTo(Integer::compare).doesNotHaveDuplicates();
    assertThat(client.states().json("count").asInt()).isEqualTo(total);
  }

  @Test
  void sendsBeforeOpenAreBufferedUpToTheBoundAndFlushedInOrder() {
    ReactiveWsClient client = track(ReactiveWsClient.builder(url()).immediate(false).bufferLimit(3).build());
    assertThat(client.publish("count", 1)).isTrue();
    assertThat(client.send("raw text")).isTrue();
    assertThat(client.send(new byte[] {1, 2})).isTrue();
    assertThat(client.publish("count", 2)).as("the fourth finds the buffer full").isFalse();
    assertThat(client.send(TopicAction.SUBSCRIBE, "news")).as("not open: only the topic set changes").isTrue();
    assertThat(client.bufferedMessages()).isEqualTo(3);

    client.open();
    await().until(() -> client.status() == Status.OPEN);
    roundTrip(client, "flushed");
    assertThat(app.log.events().stream().filter(e -> e.startsWith("message ") || e.startsWith("binary ")
            || e.startsWith("subscribed news")).toList())
        .containsExactly(
            "subscribed news",
            "message {\"type\":\"publish\",\"topic\":\"count\",\"payload\":1}",
            "message raw text",
            "binary 0102",
            "message " + HookLog.ECHO + "flushed");
    assertThat(client.bufferedMessages()).isZero();
    assertThat(client.publish("count", 3)).isTrue();
  }

  @Test
  void topicsAddedAndRemovedAfterConnectAreSubscribedAndUnsubscribed() {
    ReactiveWsClient client = connect(ReactiveWsClient.builder(url()).topics("a"));
    app.states.put("news", "first");

    assertThat(client.send(TopicAction.SUBSCRIBE, "news")).isTrue();
    await().until(() -> "first".equals(client.states().json("news").asString(null)));
    assertThat(client.topics()).containsExactly("a", "news");
    await().until(() -> server.peers().iterator().next().topics().contains("news"));
    server.publisher().publish("news", "second");
    await().until(() -> "second".equals(client.states().json("news").asString()));

    assertThat(client.send(TopicAction.UNSUBSCRIBE, "news")).isTrue();
    assertThat(client.topics()).containsExactly("a");
    await().until(() -> !server.peers().iterator().next().topics().contains("news"));
    assertThat(server.publisher().publish("news", "third")).as("no subscriber left").isZero();

    assertThat(client.send("{\"type\":\"subscribe\",\"topic\":\"raw\"}")).isTrue();
    assertThat(client.topics()).as("a raw operation counts too").containsExactly("a", "raw");
    await().until(() -> server.peers().iterator().next().topics().contains("raw"));
  }

  @Test
  void internalTopicsLearnedFromTheServerAreRefusedButHeard() {
    ReactiveWsClient client = connect(ReactiveWsClient.builder(url()));
    List<Data> data = new CopyOnWriteArrayList<>();
    client.onData(data::add);

    assertThat(client.send(TopicAction.SUBSCRIBE, StateApp.INTERNAL)).isFalse();
    assertThat(client.send(TopicAction.UNSUBSCRIBE, StateApp.INTERNAL)).isFalse();
    assertThat(client.publish(StateApp.INTERNAL, 1)).isFalse();
    assertThat(client.send(TopicAction.SUBSCRIBE, StateApp.INTERNAL)).isFalse();
    assertThat(client.send("{\"type\":\"publish\",\"topic\":\"_internal\",\"payload\":1}")).isFalse();
    assertThat(client.topics()).isEmpty();
    roundTrip(client, "after-refusals");
    assertThat(app.log.eventsStartingWith("message ")).containsExactly("message " + HookLog.ECHO + "after-refusals");
    assertThat(data).noneMatch(Data::isError);

    server.publisher().publish(StateApp.INTERNAL, "only the server speaks here");
    await().until(() -> client.states().has(StateApp.INTERNAL));
    assertThat(client.states().json(StateApp.INTERNAL).asString()).isEqualTo("only the server speaks here");
  }

  @Test
  void operationsOnInternalTopicsBufferedBeforeTheConfigWasKnownAreDroppedOnOpen() {
    ReactiveWsClient client = track(ReactiveWsClient.builder(url()).topics(StateApp.INTERNAL, "count").immediate(false).build());
    assertThat(client.publish(StateApp.INTERNAL, 1)).as("not known to be internal yet").isTrue();
    assertThat(client.publish("count", 7)).isTrue();

    client.open();
    await().until(() -> client.status() == Status.OPEN);
    roundTrip(client, "after-open");
    assertThat(app.log.eventsStartingWith("message ")).containsExactly(
        "message {\"type\":\"publish\",\"topic\":\"count\",\"payload\":7}", "message " + HookLog.ECHO + "after-open");
    assertThat(app.log.eventsStartingWith("subscribed ")).containsExactly("subscribed count");
    assertThat(client.topics()).containsExactly("count");
  }

  @Test
  void internalTopicsGivenAsAnOptionAreRefusedWithoutAskingTheServer() {
    // http:// is taken for ws://, as the browser client does.
    ReactiveWsClient client = connect(ReactiveWsClient.builder(url().replace("ws://", "http://")).internals("secret").defaults());
    assertThat(client.publish("secret", 1)).isFalse();
    assertThat(client.publish(StateApp.INTERNAL, 1)).as("the server's own list was not loaded").isTrue();
    roundTrip(client, "marker");
  }

  @Test
  void dataIsEveryMessageThatIsNotAState() {
    ReactiveWsClient client = connect(ReactiveWsClient.builder(url()));
    List<Data> data = new CopyOnWriteArrayList<>();
    client.onData(data::add);

    client.send("ping");
    client.send(HookLog.ECHO + "plain");
    await().until(() -> data.size() == 1);
    server.peers().iterator().next().send(Map.of("kind", "notice"));
    await().until(() -> data.size() == 2);
    server.peers().iterator().next().send(new byte[] {7, 8});
    await().until(() -> data.size() == 3);
    client.send(TopicAction.UNSUBSCRIBE, StateApp.SESSION);
    await().until(() -> data.size() == 4);

    assertThat(data.get(0).text()).as("pong is the heartbeat's, never data").isEqualTo(HookLog.ECHO + "plain");
    assertThat(data.get(0).json()).isNull();
    assertThat(data.get(1).json().get("kind").asString()).isEqualTo("notice");
    assertThat(data.get(1).as(new TypeReference<Map<String, String>>() {})).containsEntry("kind", "notice");
    assertThat(data.get(2).isBinary()).isTrue();
    assertThat(data.get(2).bytes()).containsExactly(7, 8);
    assertThat(data.get(3).isError()).isTrue();
    assertThat(data.get(3).json().get("code").asString()).isEqualTo("forbidden");
    assertThat(client.data()).isSameAs(data.get(3));
  }

  @Test
  void headersAndQueryReachTheUpgradeAndARefusalIsReported() {
    server.stop();
    server = ReactiveWs.create(cfg -> cfg
            .ws(ws -> ws.route(StateApp.ROUTE).subprotocols("chat.v1").keptHeaders("Sec-WebSocket-Protocol"))
            .handler(app.handler()
                .onUpgrade(request -> {
                  if (!"Bearer good".equals(request.header("Authorization"))) {
                    throw UpgradeRejectedException.unauthorized();
                  }
                  request.context("room", request.query("room"));
                })
                .onOpen(peer -> app.log.add("open room " + peer.context().get("room")
                    + " protocols " + peer.request().header("Sec-WebSocket-Protocol")))
                .build()))
        .start(0);

    List<Throwable> errors = new CopyOnWriteArrayList<>();
    ReactiveWsClient refused = track(ReactiveWsClient.builder(url()).header("Authorization", "Bearer bad").immediate(false).build());
    refused.onError(errors::add);
    refused.open();
    await().until(() -> !errors.isEmpty());
    assertThat(errors.getFirst()).isInstanceOf(WebSocketHandshakeException.class);
    assertThat(((WebSocketHandshakeException) errors.getFirst()).getResponse().statusCode()).isEqualTo(401);
    await().until(() -> refused.status() == Status.CLOSED);

    connect(ReactiveWsClient.builder(url())
        .header("Authorization", "Bearer good")
        .query("room", "blue & green")
        .protocols("chat.v2", "chat.v1"));
    app.log.awaitEvent("open room blue & green protocols chat.v2, chat.v1");
  }

  @Test
  void aConnectionTheServerClosesIsReportedWithItsCode() {
    ReactiveWsClient client = connect(ReactiveWsClient.builder(url()));
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    client.onError(errors::add);
    client.send("close:4000");
    await().until(() -> !errors.isEmpty());
    assertThat(errors.getFirst()).isInstanceOfSatisfying(ConnectionClosedException.class, e -> {
      assertThat(e.code()).isEqualTo(4000);
      assertThat(e.reason()).isEqualTo("asked to");
    });
    assertThat(client.status()).isEqualTo(Status.CLOSED);
    assertThat(client.publish("count", 1)).as("buffered for a later open()").isTrue();
    client.open();
    await().until(() -> client.status() == Status.OPEN);
    await().until(() -> client.states().has("count"));
  }

  @Test
  void closeStopsEveryThreadTheClientStarted() {
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    ReactiveWsClient client = connect(ReactiveWsClient.builder(url())
        .topics("count")
        .heartbeat(Heartbeat.builder().interval(Duration.ofMillis(100)).build())
        .autoReconnect(ReconnectPolicy.defaults()));
    client.onStatus(status -> {});
    client.publish("count", 1);
    await().until(() -> client.states().has("count"));
    assertThat(clientThreads(client)).isNotEmpty();

    client.close();
    assertThat(client.status()).isEqualTo(Status.CLOSED);
    // Stopped by close(); a thread may take a moment to finish exiting after its pool terminated.
    await().atMost(Duration.ofSeconds(2)).until(() -> clientThreads(client).isEmpty());
    await().atMost(Duration.ofSeconds(2)).until(() -> newThreads(before).stream().noneMatch(name -> name.startsWith("HttpClient-")));
    assertThat(client.publish("count", 2)).as("buffered for the next open").isTrue();
    client.close();
  }

  @Test
  void openAfterCloseStartsTheThreadsAgainAndSendsTheTopicsAndTheBuffer() {
    ReactiveWsClient client = connect(ReactiveWsClient.builder(url()).topics("count"));
    client.publish("count", 1);
    await().until(() -> client.states().has("count"));
    client.close();
    await().atMost(Duration.ofSeconds(2)).until(() -> clientThreads(client).isEmpty());
    assertThat(client.publish("count", 2)).isTrue();
    assertThat(client.states().json("count").asInt()).as("states stay while closed").isEqualTo(1);

    client.open();
    await().until(() -> client.status() == Status.OPEN);
    await().until(() -> client.states().json("count").asInt() == 2);
    assertThat(clientThreads(client)).isNotEmpty();
    assertThat(app.count("subscribed count")).as("subscribed on each open").isEqualTo(2);
    assertThat(client.bufferedMessages()).isZero();
  }

  @Test
  void aListenerMayCloseAndOpenAgainOneListenerAtATime() {
    AtomicBoolean reopened = new AtomicBoolean();
    AtomicInteger running = new AtomicInteger();
    AtomicInteger overlaps = new AtomicInteger();
    ReactiveWsClient client = track(ReactiveWsClient.builder(url()).topics("count").immediate(false).build());
    client.onStatus(status -> {
      if (running.incrementAndGet() > 1) {
        overlaps.incrementAndGet();
      }
      if (status == Status.OPEN && reopened.compareAndSet(false, true)) {
        client.close();
        client.open();
      }
      running.decrementAndGet();
    });
    client.open();
    await().until(() -> app.count("subscribed count") == 2 && client.status() == Status.OPEN);
    assertThat(overlaps).as("the new listener thread waits for the old one").hasValue(0);
  }

  @ParameterizedTest
  @CsvSource({"true, close 1000", "false, close 1006"})
  void aJvmThatExitsWithAClientOpenClosesItCleanlyUnlessToldNotTo(boolean autoClose, String closeEvent) throws Exception {
    String java = ProcessHandle.current().info().command().orElseThrow();
    Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", AutoCloseMain.class.getName(), url(), String.valueOf(autoClose))
        .redirectErrorStream(true)
        .start();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      assertThat(out.readLine()).isEqualTo("open");
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the client's threads do not keep the JVM alive").isTrue();
    } finally {
      process.destroyForcibly();
    }
    app.log.awaitEvent(closeEvent);
  }

  /** The live threads whose names say they belong to this client. */
  static List<String> clientThreads(ReactiveWsClient client) {
    String prefix = client.toString().substring(0, client.toString().indexOf('{')) + "-";
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(name -> name.startsWith(prefix))
        .toList();
  }

  private static Set<String> newThreads(Set<Thread> before) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && !before.contains(t))
        .map(Thread::getName)
        .collect(Collectors.toSet());
  }

  @Test
  void aTextIsJsonOnlyWhenAllOfItIs() {
    ReactiveWsClient client = connect(ReactiveWsClient.builder(url()));
    List<Data> data = new CopyOnWriteArrayList<>();
    client.onData(data::add);
    Peer peer = server.peers().iterator().next();
    peer.send("12 monkeys");
    peer.send("42");
    peer.send("[".repeat(5000) + "]".repeat(5000));
    peer.send("{\"topic\":7,\"payload\":1}");
    peer.send("null");
    await().until(() -> data.size() == 5);
    assertThat(data.get(0).json()).isNull();
    assertThat(data.get(0).text()).isEqualTo("12 monkeys");
    assertThat(data.get(1).json().asInt()).isEqualTo(42);
    assertThat(data.get(2).json()).as("deeper than Jackson's nesting limit: text, not a crash").isNull();
    assertThat(data.get(3).json().get("topic").asInt()).as("a topic must be a string to make a state").isEqualTo(7);
    assertThat(data.get(4).json().isNull()).isTrue();
    assertThat(data.get(4).as(String.class)).as("JSON null decodes to null").isNull();
    assertThat(client.states().topics()).containsExactly(StateApp.SESSION);
    assertThat(client.status()).isEqualTo(Status.OPEN);
  }

  @Test
  void aMessageOverTheLimitDropsTheConnection() {
    server.stop();
    server = ReactiveWs.create(cfg -> cfg
            .ws(ws -> ws.route(StateApp.ROUTE).outboundBufferBytes(64 * 1024 * 1024))
            .handler(app.handler().build()))
        .start(0);
    ReactiveWsClient client = connect(ReactiveWsClient.builder(url()));
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    client.onError(errors::add);
    server.peers().iterator().next().send("x".repeat(16 * 1024 * 1024 + 1));
    await().until(() -> !errors.isEmpty());
    assertThat(errors.getFirst()).hasMessageContaining("over 16777216 characters");
    assertThat(client.status()).isEqualTo(Status.CLOSED);
    assertThat(client.data()).isNull();
    await().until(() -> server.peers().isEmpty());
  }
}
