package dev.reactivews.testing.suite;

import static dev.reactivews.testing.HookLog.marker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reactivews.Peer;
import dev.reactivews.SendOptions;
import dev.reactivews.TopicAction;
import dev.reactivews.WsConfig;
import dev.reactivews.WsHandler;
import dev.reactivews.WsMessages;
import dev.reactivews.testing.HookLog;
import dev.reactivews.testing.LogCapture;
import dev.reactivews.testing.RawWebSocket;
import dev.reactivews.testing.TestServer;
import dev.reactivews.testing.WsRecorder;
import dev.reactivews.testing.WsTransport;
import dev.reactivews.validation.BeanSchema;
import dev.reactivews.validation.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/**
 * The wire protocol and the handler's hooks (README, "The protocol" and the tour), through a
 * real client: what every transport must pass. A transport runs it by naming itself in a
 * subclass. (Long because it is a list of cases that each stand alone.)
 */
@Timeout(60)
public abstract class ProtocolSuite {
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

  /** A server at {@code /_ws} with default topic {@code session} and internal topic {@code _internal}. */
  protected TestServer start(UnaryOperator<WsHandler.Builder> hooks) {
    return start(hooks, UnaryOperator.identity());
  }

  private TestServer start(UnaryOperator<WsHandler.Builder> hooks, UnaryOperator<WsConfig.Builder> settings) {
    WsHandler handler = hooks.apply(log.handler()).build();
    WsConfig config = settings.apply(WsConfig.builder().route("/_ws").defaults("session").internals("_internal")).build();
    server = TestServer.start(transport(), config, handler);
    return server;
  }

  @Test
  public void aNewPeerIsSubscribedAndCountedBeforeItsOpenHookRuns() {
    start(h -> h.onOpen(peer -> log.add("open topics=" + new TreeSet<>(peer.topics())
        + " counted=" + peer.peers().contains(peer) + " open=" + peer.isOpen())));
    server.connect();
    log.awaitEvent("open topics=[_internal, session] counted=true open=true");
    assertThat(server.server().peers()).hasSize(1);
  }

  @Test
  public void subscribeAndUnsubscribeAreHandledByTheFramework() {
    start(UnaryOperator.identity());
    WsRecorder client = server.connect().subscribe("chat");
    assertThat(marker(client, "subscribed")).isEqualTo("echo:subscribed");
    Peer peer = server.server().peers().iterator().next();
    assertThat(peer.topics()).containsExactlyInAnyOrder("session", "_internal", "chat");

    assertThat(server.server().publisher().publish("chat", Map.of("n", 1))).isEqualTo(1);
    assertThat(client.nextState("chat").get("n").intValue()).isEqualTo(1);

    client.send("{\"type\":\"unsubscribe\",\"topic\":\"chat\"}");
    assertThat(marker(client, "unsubscribed")).isEqualTo("echo:unsubscribed");
    assertThat(peer.topics()).containsExactlyInAnyOrder("session", "_internal");
    assertThat(server.server().publisher().publish("chat", Map.of("n", 2))).isZero();
    server.server().publisher().publish("session", "marker");
    assertThat(client.next()).isEqualTo("{\"topic\":\"session\",\"payload\":\"marker\"}");

    assertThat(log.eventsStartingWith("message ")).containsExactly("message echo:subscribed", "message echo:unsubscribed");
  }

  @Test
  public void aNullStateIsSentAsJsonNull() {
    start(h -> h.onOpen(peer -> peer.sendState("session", null)));
    WsRecorder client = server.connect();
    assertThat(client.next()).isEqualTo("{\"topic\":\"session\",\"payload\":null}");
    assertThat(server.server().publisher().publish("session", null)).isEqualTo(1);
    assertThat(client.next()).isEqualTo("{\"topic\":\"session\",\"payload\":null}");
  }

  @Test
  public void theSubscribedHookRunsOnceSubscribedAndMaySendTheState() {
    start(h -> h.onSubscribed((peer, topic) ->
        peer.sendState(topic, Map.of("subscribed", peer.topics().contains(topic)))));
    WsRecorder client = server.connect().subscribe("chat");
    assertThat(client.nextState("chat").get("subscribed").booleanValue()).isTrue();
  }

  @Test
  public void theAuthorizeHookMayRefuseAnyTopicAction() {
    start(h -> h.onAuthorize((peer, action, topic) -> {
      log.add("authorize " + action + " " + topic);
      return !topic.startsWith("secret");
    }));
    WsRecorder client = server.connect();
    client.subscribe("secret");
    JsonNode error = WsRecorder.parse(client.next());
    assertThat(error.get("type").asString()).isEqualTo("error");
    assertThat(error.get("code").asString()).isEqualTo("forbidden");
    assertThat(error.get("message").asString()).contains("secret");
    client.publish("secret", "1");
    assertThat(client.nextError().get("code").asString()).isEqualTo("forbidden");
    client.subscribe("open");
    assertThat(marker(client, "done")).isEqualTo("echo:done");

    assertThat(server.server().peers().iterator().next().topics()).doesNotContain("secret").contains("open");
    assertThat(log.eventsStartingWith("authorize ")).containsExactly(
        "authorize SUBSCRIBE secret", "authorize PUBLISH secret", "authorize SUBSCRIBE open");
    assertThat(log.eventsStartingWith("message ")).containsExactly("message echo:done");
    assertThat(log.eventsStartingWith("subscribed ")).containsExactly("subscribed open");
  }

  @Test
  public void publishFramesAndEverythingElseReachTheMessageHookUntouched() {
    start(UnaryOperator.identity());
    WsRecorder client = server.connect();
    List<String> texts = List.of(
        "{\"type\":\"publish\",\"topic\":\"chat\",\"payload\":{\"text\":\"hi\"}}",
        "{ \"type\" : \"custom\", \"x\" : [1, 2] }",
        "[1,2,3]",
        "hello world",
        "  ");
    texts.forEach(client::send);
    client.sendBinary(new byte[] {0, 1, 2, (byte) 0xff});
    assertThat(marker(client, "end")).isEqualTo("echo:end");

    List<String> expected = new ArrayList<>(texts.stream().map(t -> "message " + t).toList());
    expected.add("binary 000102ff");
    expected.add("message echo:end");
    assertThat(log.events().stream().filter(e -> e.startsWith("message ") || e.startsWith("binary ")).toList())
        .containsExactlyElementsOf(expected);
  }

  @Test
  public void aPublishToARelayedTopicReachesEverySubscriberTheSenderTooWithNoHook() {
    start(UnaryOperator.identity(), settings -> settings.relays("cursor:*"));
    WsRecorder sender = server.connect().subscribe("cursor:1");
    WsRecorder other = server.connect().subscribe("cursor:1");
    WsRecorder outsider = server.connect();
    for (WsRecorder client : List.of(sender, other, outsider)) {
      assertThat(marker(client, "ready")).isEqualTo("echo:ready");
    }
    sender.publish("cursor:1", "{\"x\":1}");
    String relayed = "{\"topic\":\"cursor:1\",\"payload\":{\"x\":1}}";
    assertThat(sender.next()).isEqualTo(relayed);
    assertThat(other.next()).isEqualTo(relayed);

    outsider.send("{\"type\":\"publish\",\"topic\":\"cursor:1\"}");
    assertThat(other.next()).isEqualTo("{\"topic\":\"cursor:1\",\"payload\":null}");
    assertThat(marker(outsider, "after")).as("nothing came to the outsider before its marker").isEqualTo("echo:after");
    outsider.publish("cursor", "2");
    assertThat(marker(outsider, "unrelayed")).isEqualTo("echo:unrelayed");
    assertThat(log.eventsStartingWith("message {")).as("only the publish to a topic not relayed")
        .containsExactly("message {\"type\":\"publish\",\"topic\":\"cursor\",\"payload\":2}");
  }

  @Test
  public void theAuthorizeHookDecidesWhoMayPublishToARelayedTopic() {
    start(h -> h.onAuthorize((peer, action, topic) -> action != TopicAction.PUBLISH || peer.topics().contains(topic)),
        settings -> settings.relays("cursor:*"));
    WsRecorder subscriber = server.connect().subscribe("cursor:1");
    assertThat(marker(subscriber, "ready")).isEqualTo("echo:ready");
    WsRecorder outsider = server.connect();
    outsider.publish("cursor:1", "1");
    assertThat(outsider.nextError().get("code").asString()).isEqualTo("forbidden");
    subscriber.publish("cursor:1", "2");
    assertThat(subscriber.next()).as("the refused publish never came")
        .isEqualTo("{\"topic\":\"cursor:1\",\"payload\":2}");
  }

  @Test
  public void aFrameThatNeedsNoHookStillWaitsForTheHooksBeforeIt() {
    CountDownLatch release = new CountDownLatch(1);
    WsHandler handler = WsHandler.builder().onMessage((peer, message) -> {
      if (message.text().equals("hold")) {
        release.await();
      }
    }).build();
    server = TestServer.start(transport(), WsConfig.builder().route("/_ws").build(), handler);
    WsRecorder client = server.connect();
    client.send("hold").subscribe("chat").send("ping");
    assertThat(client.next()).as("the server has read the subscribe before the ping").isEqualTo("pong");
    Peer peer = server.server().peers().iterator().next();
    assertThat(peer.topics()).as("the subscribe waits behind the held hook").doesNotContain("chat");
    release.countDown();
    await().until(() -> peer.topics().contains("chat"));
  }

  @Test
  public void pingIsAnsweredPongAndNeverSeenByTheApp() {
    start(UnaryOperator.identity());
    WsRecorder client = server.connect();
    client.send("ping");
    assertThat(client.next()).isEqualTo("pong");
    assertThat(marker(client, "after")).isEqualTo("echo:after");
    assertThat(log.eventsStartingWith("message ")).containsExactly("message echo:after");
  }

  @Test
  public void inTheCloseHookThePeerHasLeftButItsPublishStillReachesTheOthers() {
    start(h -> h.onClose((peer, event) -> {
      log.add("close listed=" + peer.peers().contains(peer) + " peers=" + peer.peers().size()
          + " topics=" + peer.topics() + " open=" + peer.isOpen());
      peer.publishState("session", Map.of("left", peer.id()));
    }));
    WsRecorder leaving = server.connect();
    await().until(() -> server.server().peers().size() == 1);
    String leavingId = server.server().peers().iterator().next().id();
    WsRecorder staying = server.connect();
    await().until(() -> server.server().peers().size() == 2);

    leaving.close();
    assertThat(staying.nextState("session").get("left").asString()).isEqualTo(leavingId);
    log.awaitEvent("close listed=false peers=1 topics=[] open=false");
    assertThat(server.server().peers()).extracting(Peer::id).doesNotContain(leavingId).hasSize(1);
  }

  record Chat(@NotBlank String user, @Size(max = 5) String text) {}

  private static final Schema<Chat> CHAT = BeanSchema.of(Chat.class);

  @Test
  public void aHookThatThrowsGetsAnErrorFrameAndTheConnectionStaysOpen() {
    start(h -> h.onMessage((peer, message) -> {
      if (message.text().equals("boom")) {
        throw new IllegalStateException("app bug");
      }
      log.message(peer, message);
    }));
    WsRecorder client = server.connect();
    client.send("boom");
    JsonNode error = client.nextError();
    assertThat(error.get("code").asString()).isEqualTo("server_error");
    assertThat(error.get("message").asString()).doesNotContain("app bug");
    log.awaitEvent("error IllegalStateException");
    assertThat(marker(client, "still open")).isEqualTo("echo:still open");
  }

  @Test
  public void aValidationExceptionIsAnswered_invalid_messageWithEveryIssue() {
    start(h -> h.onMessage((peer, message) -> {
      Chat chat = WsMessages.validate(CHAT, message);
      peer.send("valid " + chat.user());
    }));
    WsRecorder client = server.connect();
    client.send("{\"user\":\"\",\"text\":\"far too long\"}");
    JsonNode error = client.nextError();
    assertThat(error.get("code").asString()).isEqualTo("invalid_message");
    assertThat(error.get("issues")).hasSize(2);
    assertThat(error.get("issues").findValuesAsString("path")).containsExactly("text", "user");
    assertThat(error.get("issues").findValuesAsString("message")).allSatisfy(m -> assertThat(m).isNotBlank());
    log.awaitEvent("error ValidationException");

    client.send("{\"user\":\"ann\",\"text\":\"hi\"}");
    assertThat(client.next()).isEqualTo("valid ann");
  }

  @Test
  public void aRefusedMessageCannotForgeALineOfTheServerLog() {
    String forged = "INFO dev.reactivews - forged by the client";
    start(h -> h.onMessage((peer, message) -> WsMessages.validate(CHAT, message)));
    WsRecorder client = server.connect();
    try (LogCapture logs = LogCapture.start()) {
      client.send("{\"user\":\"ann\",\"x\\n" + forged + "\":1}");
      JsonNode error = client.nextError();
      assertThat(error.get("code").asString()).isEqualTo("invalid_message");
      assertThat(error.get("issues").findValuesAsString("path")).containsExactly("x\n" + forged);
      // The line is written before the error frame is sent.
      assertThat(logs.text()).contains("x\\u000a" + forged);
      assertThat(logs.lines()).noneMatch(line -> line.contains(forged) && !line.contains("refused"));
    }
  }

  @Test
  public void aPeerFloodingRefusedMessagesGetsEveryAnswerButOneLogLine() {
    start(h -> h.onMessage((peer, message) -> {
      if (message.text().startsWith(HookLog.ECHO)) {
        log.message(peer, message);
      } else {
        WsMessages.validate(CHAT, message);
      }
    }));
    WsRecorder client = server.connect();
    assertThat(client.send("{}").nextError().get("code").asString()).isEqualTo("invalid_message");
    String peerId = server.server().peers().iterator().next().id();
    try (LogCapture logs = LogCapture.start()) {
      for (int i = 0; i < 50; i++) {
        client.send("{\"user\":\"\",\"text\":\"far too long " + i + "\"}");
      }
      for (int i = 0; i < 50; i++) {
        assertThat(client.nextError().get("code").asString()).isEqualTo("invalid_message");
      }
      // Each line is written before its error frame: every answer is in, so is every line.
      assertThat(logs.lines()).noneMatch(line -> line.contains(peerId) && line.contains("refused"));
      assertThat(logs.text()).doesNotContain("ValidationException").doesNotContain("\tat ");
    }
    assertThat(marker(client, "still open")).isEqualTo("echo:still open");
  }

  @Test
  public void anOpenHookThatThrowsGetsAnErrorFrameAndTheConnectionStaysOpen() {
    start(h -> h.onOpen(peer -> {
      throw new IllegalStateException("open failed");
    }));
    WsRecorder client = server.connect();
    assertThat(client.nextError().get("code").asString()).isEqualTo("server_error");
    assertThat(marker(client, "alive")).isEqualTo("echo:alive");
  }

  @Test
  public void peerPublishReachesEverySubscriberButTheSender() {
    start(h -> h.onMessage((peer, message) -> {
      JsonNode json = message.json();
      if ("publish".equals(json.path("type").asString())) {
        log.add("published " + peer.publishState(json.get("topic").asString(), json.get("payload")));
      } else {
        log.message(peer, message);
      }
    }));
    WsRecorder sender = server.connect().subscribe("chat");
    WsRecorder other = server.connect().subscribe("chat");
    WsRecorder third = server.connect().subscribe("chat");
    WsRecorder outsider = server.connect();
    for (WsRecorder client : List.of(sender, other, third, outsider)) {
      assertThat(marker(client, "ready")).isEqualTo("echo:ready");
    }
    sender.publish("chat", "{\"text\":\"hi\"}");
    assertThat(other.nextState("chat").get("text").asString()).isEqualTo("hi");
    assertThat(third.nextState("chat").get("text").asString()).isEqualTo("hi");
    assertThat(marker(sender, "after")).isEqualTo("echo:after");
    assertThat(marker(outsider, "after")).isEqualTo("echo:after");
    assertThat(log.eventsStartingWith("published ")).containsExactly("published 2");
  }

  @Test
  public void thePublisherReachesEverySubscriber() {
    start(UnaryOperator.identity());
    List<WsRecorder> subscribers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      WsRecorder client = server.connect().subscribe("news");
      assertThat(marker(client, "ready")).isEqualTo("echo:ready");
      subscribers.add(client);
    }
    WsRecorder outsider = server.connect();
    assertThat(marker(outsider, "ready")).isEqualTo("echo:ready");

    assertThat(server.server().publisher().publish("news", Map.of("headline", "hello"))).isEqualTo(3);
    for (WsRecorder client : subscribers) {
      assertThat(client.next()).isEqualTo("{\"topic\":\"news\",\"payload\":{\"headline\":\"hello\"}}");
    }
    server.server().publisher().publish("session", "marker");
    assertThat(outsider.next()).isEqualTo("{\"topic\":\"session\",\"payload\":\"marker\"}");
    assertThat(subscribers.get(0).next()).isEqualTo("{\"topic\":\"session\",\"payload\":\"marker\"}");
  }

  @Test
  public void aVersionedStateFrameCarriesItsVersionAndItsEpochAsAString() {
    start(h -> h.onSubscribed((peer, topic) ->
        peer.sendState(topic, List.of("first"), SendOptions.DEFAULT.withVersion(7310955310411L, 41))));
    WsRecorder client = server.connect().subscribe("chat");
    assertThat(client.next()).isEqualTo("{\"topic\":\"chat\",\"v\":41,\"epoch\":\"7310955310411\",\"payload\":[\"first\"]}");

    server.server().publisher().publish("chat", List.of("first", "second"), SendOptions.DEFAULT.withVersion(7310955310411L, 42));
    assertThat(client.next()).isEqualTo(
        "{\"topic\":\"chat\",\"v\":42,\"epoch\":\"7310955310411\",\"payload\":[\"first\",\"second\"]}");
    // Epoch 0 is no epoch: the member is left out.
    server.server().publisher().publish("session", Map.of("users", 1), SendOptions.COMPRESS.withVersion(3));
    assertThat(client.next()).isEqualTo("{\"topic\":\"session\",\"v\":3,\"payload\":{\"users\":1}}");
  }

  @Test
  public void anUnversionedStateFrameIsTopicAndPayloadOnlyEvenAfterAVersionedOne() {
    start(h -> h.onMessage((peer, message) -> {
      if (message.text().equals("state please")) {
        peer.sendState("chat", List.of("mine"));
      } else {
        log.message(peer, message);
      }
    }));
    WsRecorder client = server.connect().subscribe("chat");
    assertThat(marker(client, "subscribed")).isEqualTo("echo:subscribed");
    server.server().publisher().publish("chat", List.of("versioned"), SendOptions.DEFAULT.withVersion(5, 1));
    assertThat(client.next()).isEqualTo("{\"topic\":\"chat\",\"v\":1,\"epoch\":\"5\",\"payload\":[\"versioned\"]}");

    server.server().publisher().publish("chat", List.of("plain"));
    assertThat(client.next()).isEqualTo("{\"topic\":\"chat\",\"payload\":[\"plain\"]}");
    client.send("state please");
    assertThat(client.next()).isEqualTo("{\"topic\":\"chat\",\"payload\":[\"mine\"]}");
  }

  /**
   * nuxt-ws's client ({@code useWS} in its {@code ws.ts}), as far as frames go: a parsed object
   * with both {@code topic} and {@code payload} sets {@code states[topic] = payload}; anything
   * else becomes {@code data}.
   */
  private static final class NuxtWsClient {
    final Map<String, JsonNode> states = new HashMap<>();
    final List<JsonNode> data = new ArrayList<>();

    NuxtWsClient(List<String> frames) {
      for (String frame : frames) {
        JsonNode parsed = WsRecorder.parse(frame);
        if (parsed.isObject() && parsed.has("topic") && parsed.has("payload")) {
          states.put(parsed.get("topic").asString(), parsed.get("payload"));
        } else {
          data.add(parsed);
        }
      }
    }
  }

  @Test
  public void aNuxtWsClientGetsTheSameStatesFromVersionedFramesAsFromPlainOnes() {
    start(UnaryOperator.identity());
    WsRecorder client = server.connect().subscribe("chat").subscribe("plain");
    assertThat(marker(client, "subscribed")).isEqualTo("echo:subscribed");
    List<List<String>> history = List.of(List.of("a"), List.of("a", "b"), List.of("a", "b", "c"));
    for (int i = 0; i < history.size(); i++) {
      server.server().publisher().publish("chat", history.get(i), SendOptions.DEFAULT.withVersion(1733212800000L, i + 1));
      server.server().publisher().publish("plain", history.get(i));
    }
    client.send(HookLog.ECHO + "published").nextMatching(frame -> "echo:published".equals(frame.asString(null)));

    assertThat(client.received()).filteredOn(frame -> frame.startsWith("{\"topic\":\"chat\""))
        .hasSize(3).allMatch(frame -> frame.contains("\"v\":") && frame.contains("\"epoch\":\"1733212800000\""));
    NuxtWsClient nuxtWs = new NuxtWsClient(client.received());
    assertThat(nuxtWs.states.get("chat")).isEqualTo(WsRecorder.parse("[\"a\",\"b\",\"c\"]"));
    assertThat(nuxtWs.states.get("chat")).isEqualTo(nuxtWs.states.get("plain"));
    // Only the markers' echoes are data: no state frame was taken for anything else.
    assertThat(nuxtWs.data).containsExactly(WsRecorder.parse("echo:subscribed"), WsRecorder.parse("echo:published"));
  }

  @Test
  public void peerCloseSendsItsCodeAndRunsTheCloseHook() {
    start(h -> h.onMessage((peer, message) -> peer.close(4000, "bye " + message.text())));
    WsRecorder client = server.connect();
    client.send("now");
    assertThat(client.awaitClose()).isEqualTo(4000);
    log.awaitEvent("close 4000");
    assertThat(server.server().peers()).isEmpty();
  }

  @Test
  public void aClientCloseIsAnsweredAndItsCodeReachesTheCloseHook() {
    start(UnaryOperator.identity());
    RawWebSocket withCode = server.raw(Map.of());
    withCode.sendFrame(RawWebSocket.CLOSE, true, new byte[] {0x0F, (byte) 0xA2, 'o', 'k'}); // 4002 "ok"
    assertThat(withCode.awaitClose()).isEqualTo(4002);
    log.awaitEvent("close 4002");

    RawWebSocket withoutCode = server.raw(Map.of());
    withoutCode.sendFrame(RawWebSocket.CLOSE, true, new byte[0]);
    // The reply's code is open (RFC 6455 5.5.1); the hook's is 1005 by 7.1.5, but Tomcat reports 1000.
    assertThat(withoutCode.awaitClose()).as("an empty close frame or 1000 back").isIn(1005, 1000);
    await().until(() -> log.eventsStartingWith("close ").size() == 2);
    assertThat(log.eventsStartingWith("close ").get(1)).isIn("close 1005", "close 1000");
    await().until(() -> server.server().peers().isEmpty());
  }

  @Test
  public void peerCloseRefusesWhatNoCloseFrameMayCarry() {
    start(h -> h.onMessage((peer, message) -> {
      try {
        switch (message.text()) {
          case "reserved" -> peer.close(1005, "");
          case "out of range" -> peer.close(999, "");
          case "long reason" -> peer.close(4000, "\u00e9".repeat(62));
          default -> log.message(peer, message);
        }
      } catch (IllegalArgumentException e) {
        log.add("refused " + message.text());
      }
    }));
    WsRecorder client = server.connect();
    client.send("reserved").send("out of range").send("long reason");
    assertThat(marker(client, "still open")).isEqualTo("echo:still open");
    assertThat(log.eventsStartingWith("refused ")).containsExactly(
        "refused reserved", "refused out of range", "refused long reason");
    assertThat(server.server().peers()).singleElement().satisfies(p -> assertThat(p.isOpen()).isTrue());
  }

  /** Twenty clients whose open hooks have run. */
  private List<WsRecorder> twentyOpenClients() {
    start(UnaryOperator.identity());
    List<WsRecorder> clients = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      clients.add(server.connect());
    }
    await().until(() -> log.eventsStartingWith("open").size() == 20);
    return clients;
  }

  @Test
  public void stopClosesEveryPeerWith1001AndRunsTheCloseHooks() {
    List<WsRecorder> clients = twentyOpenClients();
    server.server().close();
    for (WsRecorder client : clients) {
      assertThat(client.awaitClose()).isEqualTo(1001);
    }
    assertThat(log.eventsStartingWith("close ")).hasSize(20).containsOnly("close 1001");
    assertThat(server.server().peers()).isEmpty();
  }

  @Test
  public void stopGivesPeersAndHooksOneShutdownTimeoutInAll() throws Exception {
    CountDownLatch hookMayEnd = new CountDownLatch(1);
    Duration timeout = Duration.ofMillis(500);
    start(h -> h.onClose((peer, event) -> {
      log.add("close hook started");
      hookMayEnd.await();
    }), ws -> ws.shutdownTimeout(timeout));
    WsRecorder client = server.connect();
    log.awaitEvent("open");
    try (LogCapture logs = LogCapture.start()) {
      CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> server.server().close());
      // One deadline for the peers and the hooks together: a stop that waited a whole timeout
      // for each, or for a hook that never ends, would still be running well after it.
      stopped.get(timeout.multipliedBy(6).toMillis(), TimeUnit.MILLISECONDS);
      assertThat(client.awaitClose()).isEqualTo(1001);
      assertThat(log.events()).contains("close hook started");
      assertThat(logs.text()).contains("hooks still running after " + timeout);
    } finally {
      hookMayEnd.countDown();
    }
  }

  @Test
  public void stopRightAfterPeersLeftStillRunsTheirCloseHooks() {
    twentyOpenClients().forEach(WsRecorder::close);
    server.server().close();
    assertThat(log.eventsStartingWith("close ")).hasSize(20).containsOnly("close 1000");
  }
}
