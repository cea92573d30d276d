package dev.reactivews.testing.suite;

import static dev.reactivews.testing.HookLog.marker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.reactivews.Peer;
import dev.reactivews.WsCloseStatus;
import dev.reactivews.WsConfig;
import dev.reactivews.WsHandler;
import dev.reactivews.testing.HookLog;
import dev.reactivews.testing.RawWebSocket;
import dev.reactivews.testing.WsRecorder;
import dev.reactivews.testing.WsTransport;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/**
 * Peers that break the limits or the protocol are closed with a documented code; the server
 * keeps serving a bystander and loses nothing it had accepted. What every transport must pass;
 * a transport runs it by naming itself in a subclass.
 */
@Timeout(60)
public abstract class LimitsSuite {
  // Each test sets it (start()) before use: null only between tests.
  @SuppressWarnings("NullAway.Init")
  private CounterApp app;

  /** The transport under test. */
  protected abstract WsTransport transport();

  @AfterEach
  public void stop() throws Exception {
    // Null when a test's transport lacked what it checks.
    if (app != null) {
      app.close();
    }
  }

  private CounterApp start(Consumer<WsConfig.Builder> limits) {
    return start(limits, UnaryOperator.identity());
  }

  private CounterApp start(Consumer<WsConfig.Builder> limits, UnaryOperator<WsHandler.Builder> hooks) {
    app = new CounterApp(transport(), limits, hooks);
    return app;
  }

  /**
   * Every attacker so far ({@code attackers} of them) is closed with the code and its close hook
   * ran; every peer left is open, and the bystander is unharmed.
   */
  private void assertAttackersClosedWith(int attackers, WsCloseStatus status) {
    await().until(() -> app.log.eventsStartingWith("close ").size() == attackers);
    assertThat(app.log.eventsStartingWith("close ")).containsOnly("close " + status.code());
    assertThat(app.server.server().peers()).contains(app.bystanderPeer).allSatisfy(p -> assertThat(p.isOpen()).isTrue());
    app.assertBystanderUnharmed();
  }

  @Test
  public void aSubscribePastMaxTopicsPerPeerIs_too_many_topicsAndSubscribesNothing() {
    // The app's three topics (two default, one internal) count: two more fit.
    start(ws -> ws.maxTopicsPerPeer(5));
    WsRecorder client = app.server.connect().subscribe("a").subscribe("b");
    assertThat(marker(client, "two in")).isEqualTo("echo:two in");
    client.subscribe("c");
    JsonNode error = client.nextError();
    assertThat(error.get("code").asString()).isEqualTo("too_many_topics");
    assertThat(error.get("message").asString()).contains("5");
    // Subscribing again to a topic it has adds nothing, so it is no refusal.
    client.subscribe("a");
    assertThat(marker(client, "again")).isEqualTo("echo:again");
    assertThat(app.log.eventsStartingWith("subscribed ")).containsExactly("subscribed a", "subscribed b", "subscribed a");

    assertThat(app.server.server().publisher().publish("c", "never heard")).isZero();
    app.server.server().publisher().publish("a", "heard");
    assertThat(client.next()).isEqualTo("{\"topic\":\"a\",\"payload\":\"heard\"}");

    client.send("{\"type\":\"unsubscribe\",\"topic\":\"a\"}").subscribe("c");
    assertThat(marker(client, "swapped")).isEqualTo("echo:swapped");
    app.server.server().publisher().publish("c", "now heard");
    assertThat(client.next()).isEqualTo("{\"topic\":\"c\",\"payload\":\"now heard\"}");
    assertThat(client.isClosed()).isFalse();
    app.assertBystanderUnharmed();
  }

  @Test
  public void aMessageOverMaxMessageBytesCloses1009WhateverItsForm() {
    start(ws -> ws.maxMessageBytes(1024));
    WsRecorder fits = app.server.connect();
    assertThat(marker(fits, "x".repeat(1000))).hasSize(1005);

    List<Consumer<WsRecorder>> attacks = List.of(
        attacker -> attacker.send("x".repeat(2000)),
        attacker -> attacker.sendPart("x".repeat(600), false).sendPart("x".repeat(600), true),
        attacker -> attacker.sendBinary(new byte[4096]));
    for (Consumer<WsRecorder> attack : attacks) {
      WsRecorder attacker = app.server.connect();
      attack.accept(attacker);
      assertThat(attacker.awaitClose()).isEqualTo(1009);
    }
    assertThat(marker(fits, "alive")).isEqualTo("echo:alive");
    assertAttackersClosedWith(attacks.size(), WsCloseStatus.MESSAGE_TOO_BIG);
  }

  @Test
  public void aHandshakePastMaxConnectionsIsRefused503AndAClosedPeerFreesItsSlot() {
    start(ws -> ws.maxConnections(2));
    WsRecorder second = app.server.connect();
    await().until(() -> app.log.eventsStartingWith("open").size() == 2);

    RawWebSocket refused = app.server.raw(Map.of());
    assertThat(refused.status()).isEqualTo(503);
    assertThat(refused.awaitEndOfStream()).isTrue();
    assertThat(marker(second, "still served")).isEqualTo("echo:still served");
    app.assertBystanderUnharmed();
    assertThat(app.log.eventsStartingWith("open")).hasSize(2);

    second.close();
    // The close hook is queued once the slot is free.
    app.log.awaitEvent("close 1000");
    WsRecorder third = app.server.connect();
    assertThat(marker(third, "accepted")).isEqualTo("echo:accepted");
    assertThat(app.server.server().peers()).hasSize(2);
    app.assertBystanderUnharmed();
  }

  @Test
  public void aCompressedMessageThatInflatesOverMaxMessageBytesCloses1009() {
    start(ws -> ws.maxMessageBytes(1024));
    RawWebSocket attacker = app.server.raw(Map.of("Sec-WebSocket-Extensions", "permessage-deflate"));
    assertThat(attacker.header("Sec-WebSocket-Extensions")).startsWith("permessage-deflate");
    byte[] bomb = RawWebSocket.deflate(new byte[512 * 1024]);
    assertThat(bomb.length).isLessThan(1024);
    attacker.sendFrame(0x40 | RawWebSocket.TEXT, true, bomb);
    assertThat(attacker.awaitClose()).isEqualTo(1009);
    assertAttackersClosedWith(1, WsCloseStatus.MESSAGE_TOO_BIG);
  }

  @Test
  public void moreThanMaxMessagesPerSecondCloses4029() {
    start(ws -> ws.maxMessagesPerSecond(50));
    RawWebSocket attacker = app.server.raw(Map.of());
    for (int i = 0; i < 200; i++) {
      attacker.sendText("{\"type\":\"publish\",\"topic\":\"chat\",\"payload\":" + i + "}");
    }
    assertThat(attacker.awaitClose()).isEqualTo(4029);
    assertAttackersClosedWith(1, WsCloseStatus.RATE_LIMITED);
    assertThat(app.log.eventsStartingWith("message ").size()).as("a burst of one second").isBetween(50, 99);
  }

  @Test
  public void moreThanMaxQueuedMessagesWaitingForABlockedHookCloses4029() {
    CountDownLatch release = new CountDownLatch(1);
    start(ws -> ws.maxQueuedMessages(8), hooks -> hooks.onOpen(peer -> {
      if (peer.request().query("slow") != null) {
        release.await();
      }
    }));
    RawWebSocket attacker = app.server.raw("?slow", Map.of());
    try {
      for (int i = 0; i < 20; i++) {
        attacker.sendText("queued " + i);
      }
      assertThat(attacker.awaitClose()).isEqualTo(4029);
      // The attacker's open hook still blocks: others are served meanwhile.
      app.assertBystanderUnharmed();
    } finally {
      release.countDown();
    }
    // The open hook counts as waiting too: 7 messages got in.
    app.log.awaitEvent("message queued 6");
    // The attacker never answers the close; what it sends meanwhile reaches nobody, room or not.
    attacker.sendText("late");
    attacker.close();
    assertAttackersClosedWith(1, WsCloseStatus.RATE_LIMITED);
    assertThat(app.log.eventsStartingWith("message ")).containsExactly(
        "message queued 0", "message queued 1", "message queued 2", "message queued 3", "message queued 4",
        "message queued 5", "message queued 6");
  }

  @Test
  public void aClientThatStopsReadingIsClosed4008AndOthersGetEverything() {
    start(ws -> ws.outboundBufferBytes(16 * 1024));
    RawWebSocket attacker = app.server.raw(4096);
    assertThat(attacker.status()).isEqualTo(101);
    await().until(() -> app.server.server().peers().size() == 2);
    Peer attackerPeer = app.server.server().peers().stream()
        .filter(p -> p != app.bystanderPeer).findFirst().orElseThrow();

    String filler = "f".repeat(4096);
    int published = 0;
    while (attackerPeer.isOpen() && published < 10_000) {
      app.server.server().publisher().publish("session", Map.of("n", published, "filler", filler));
      assertThat(app.bystander.nextState("session").get("n").intValue()).isEqualTo(published);
      published++;
    }
    assertThat(attackerPeer.isOpen()).as("closed after %d messages", published).isFalse();
    assertThat(attackerPeer.send("more")).isFalse();
    assertAttackersClosedWith(1, WsCloseStatus.SLOW_CONSUMER);
    assertThat(attacker.awaitClose()).isIn(WsCloseStatus.SLOW_CONSUMER.code(), RawWebSocket.NO_CLOSE_FRAME);
  }

  @Test
  public void messagesLargerThanTheOutboundBufferStillReachAPeerThatKeepsUp() {
    start(ws -> ws.outboundBufferBytes(16 * 1024));
    String big = "b".repeat(100 * 1024);
    for (int n = 0; n < 3; n++) {
      assertThat(app.bystanderPeer.sendState("big", Map.of("n", n, "text", big))).isTrue();
    }
    for (int n = 0; n < 3; n++) {
      assertThat(app.bystander.nextState("big").get("n").intValue()).isEqualTo(n);
    }
    assertThat(app.bystanderPeer.isOpen()).isTrue();
    app.assertBystanderUnharmed();
  }

  @Test
  public void invalidUtf8InATextMessageCloses1007() {
    start(ws -> {});
    RawWebSocket whole = app.server.raw(Map.of());
    whole.sendFrame(RawWebSocket.TEXT, true, new byte[] {'o', 'k', (byte) 0xC3, 0x28});
    assertThat(whole.awaitClose()).isEqualTo(1007);

    RawWebSocket fragmented = app.server.raw(Map.of());
    fragmented.sendFrame(RawWebSocket.TEXT, false, "valid start ".getBytes(StandardCharsets.UTF_8));
    fragmented.sendFrame(RawWebSocket.CONTINUATION, true, new byte[] {(byte) 0xFF, (byte) 0xFE});
    assertThat(fragmented.awaitClose()).isEqualTo(1007);
    assertAttackersClosedWith(2, WsCloseStatus.INVALID_PAYLOAD);
    assertThat(app.log.eventsStartingWith("message ")).isEmpty();
  }

  /** A frame that breaks RFC 6455: its first byte's opcode and reserved bits, and its payload. */
  private record BadFrame(String why, int opcode, byte[] payload) {}

  @Test
  public void protocolViolationsClose1002() {
    start(ws -> {});
    byte[] hello = "hello".getBytes(StandardCharsets.UTF_8);
    List<BadFrame> frames = List.of(
        new BadFrame("a reserved opcode", 0x3, new byte[] {1, 2, 3}),
        new BadFrame("a continuation of nothing", RawWebSocket.CONTINUATION, hello),
        new BadFrame("a control frame over 125 bytes", RawWebSocket.PING, new byte[200]),
        new BadFrame("close code 1005, which may not be sent", RawWebSocket.CLOSE, closePayload(1005)),
        new BadFrame("RSV1 without permessage-deflate", RawWebSocket.RSV1 | RawWebSocket.TEXT, hello),
        new BadFrame("RSV2", RawWebSocket.RSV2 | RawWebSocket.TEXT, hello),
        new BadFrame("RSV3", RawWebSocket.RSV3 | RawWebSocket.BINARY, hello),
        new BadFrame("RSV1 on a ping", RawWebSocket.RSV1 | RawWebSocket.PING, hello));
    for (BadFrame frame : frames) {
      RawWebSocket attacker = app.server.raw(Map.of());
      attacker.sendFrame(frame.opcode(), true, frame.payload());
      assertThat(attacker.awaitClose()).as(frame.why()).isEqualTo(1002);
    }
    assertAttackersClosedWith(frames.size(), WsCloseStatus.PROTOCOL_ERROR);
    assertThat(app.log.eventsStartingWith("message ")).isEmpty();
  }

  @Test
  public void withPermessageDeflateOnlyAMessagesFirstFrameMayCarryRsv1() {
    start(ws -> {});
    Map<String, String> deflate = Map.of("Sec-WebSocket-Extensions", "permessage-deflate");
    RawWebSocket compressing = app.server.raw(deflate);
    assertThat(compressing.header("Sec-WebSocket-Extensions")).startsWith("permessage-deflate");
    compressing.sendFrame(RawWebSocket.RSV1 | RawWebSocket.TEXT, true, RawWebSocket.deflate("squeezed".getBytes(StandardCharsets.UTF_8)));
    await().until(() -> app.log.eventsStartingWith("message ").size() == 1);

    List<BadFrame> frames = List.of(
        new BadFrame("RSV2 on a compressed message", RawWebSocket.RSV1 | RawWebSocket.RSV2 | RawWebSocket.TEXT,
            RawWebSocket.deflate("a".getBytes(StandardCharsets.UTF_8))),
        new BadFrame("RSV3", RawWebSocket.RSV3 | RawWebSocket.TEXT, "b".getBytes(StandardCharsets.UTF_8)),
        new BadFrame("RSV1 on a ping", RawWebSocket.RSV1 | RawWebSocket.PING, new byte[0]));
    for (BadFrame frame : frames) {
      RawWebSocket attacker = app.server.raw(deflate);
      attacker.sendFrame(frame.opcode(), true, frame.payload());
      assertThat(attacker.awaitClose()).as(frame.why()).isEqualTo(1002);
    }
    assertAttackersClosedWith(frames.size(), WsCloseStatus.PROTOCOL_ERROR);
    assertThat(app.log.eventsStartingWith("message ")).hasSize(1);
    assertThat(marker(app.server.connect(), "after")).isEqualTo("echo:after");
  }

  private static byte[] closePayload(int code) {
    return new byte[] {(byte) (code >>> 8), (byte) code};
  }

  @Test
  public void aPingIsAnsweredWithItsPayload() throws Exception {
    start(ws -> {});
    RawWebSocket pinging = app.server.raw(Map.of());
    pinging.sendFrame(RawWebSocket.PING, true, "are you there".getBytes(StandardCharsets.UTF_8));
    RawWebSocket.Frame answer = pinging.readFrame();
    while (answer.opcode() != RawWebSocket.PONG) {
      answer = pinging.readFrame();
    }
    assertThat(answer.text()).isEqualTo("are you there");
    app.assertBystanderUnharmed();
  }

  /**
   * Whether pings reach the engine, so that they count against the message rate and their pongs
   * against the outbound bound. A transport that answers pings itself says why it is bounded anyway.
   */
  protected boolean pingsReachTheEngine() {
    return true;
  }

  @Test
  public void aPeerThatPingsAndNeverReadsIsClosedAsSlow() throws Exception {
    assumeTrue(pingsReachTheEngine(), "this transport answers pings itself");
    start(ws -> ws.outboundBufferBytes(16 * 1024).maxMessagesPerSecond(1_000_000));
    RawWebSocket attacker = app.server.raw(4096);
    Peer attackerPeer = await().until(
        () -> app.server.server().peers().stream().filter(p -> p != app.bystanderPeer).findFirst(),
        Optional::isPresent).orElseThrow();
    byte[] payload = new byte[125];
    // Bounded: far more than loopback's socket buffers hold, so the pongs must pile up in the server.
    int maxPings = 400_000;
    int sent = 0;
    try {
      while (attackerPeer.isOpen() && sent < maxPings) {
        attacker.sendFrame(RawWebSocket.PING, true, payload);
        sent++;
      }
    } catch (UncheckedIOException closedUnderTheAttacker) {
      // The server cut the connection while pings were still going out.
    }
    assertThat(attackerPeer.isOpen()).as("still open after %d pings", sent).isFalse();
    assertAttackersClosedWith(1, WsCloseStatus.SLOW_CONSUMER);
  }

  /**
   * Where pings reach the engine, past the message rate they close the peer with 4029; where the
   * transport answers them itself (Tomcat), each gets its pong and the peer stays, as the README
   * says.
   */
  @Test
  public void pingsCountAgainstTheMessageRateWhereTheEngineSeesThem() throws Exception {
    start(ws -> ws.maxMessagesPerSecond(20));
    RawWebSocket attacker = app.server.raw(Map.of());
    int pings = 100;
    if (!pingsReachTheEngine()) {
      for (int n = 0; n < pings; n++) {
        attacker.sendFrame(RawWebSocket.PING, true, new byte[0]);
      }
      attacker.sendText(HookLog.ECHO + "after the pings");
      int pongs = 0;
      RawWebSocket.Frame frame = attacker.readFrame();
      for (; frame.opcode() != RawWebSocket.TEXT; frame = attacker.readFrame()) {
        pongs += frame.opcode() == RawWebSocket.PONG ? 1 : 0;
      }
      assertThat(frame.text()).isEqualTo(HookLog.ECHO + "after the pings");
      assertThat(pongs).isEqualTo(pings);
      assertThat(app.log.eventsStartingWith("close ")).isEmpty();
      app.assertBystanderUnharmed();
      return;
    }
    try {
      for (int n = 0; n < pings; n++) {
        attacker.sendFrame(RawWebSocket.PING, true, new byte[0]);
      }
    } catch (UncheckedIOException closedUnderTheAttacker) {
      // The server closed the connection while pings were still going out.
    }
    // A client whose pings hit the closed socket may be reset before it reads the close frame.
    assertThat(attacker.awaitClose()).isIn(WsCloseStatus.RATE_LIMITED.code(), RawWebSocket.NO_CLOSE_FRAME);
    assertAttackersClosedWith(1, WsCloseStatus.RATE_LIMITED);
  }

  @Test
  public void garbageInsteadOfHttpOrFramesIsRefused() throws Exception {
    start(ws -> {});
    byte[] garbage = new byte[256];
    new Random(7).nextBytes(garbage);
    try (Socket socket = new Socket("127.0.0.1", app.server.port())) {
      socket.setSoTimeout((int) WsRecorder.TIMEOUT.toMillis());
      // One write: bytes that came after the server had read and refused the head would still
      // be unread when it closes, and the kernel would answer them with a reset, not the 400.
      byte[] request = Arrays.copyOf(garbage, garbage.length + 4);
      System.arraycopy("\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), 0, request, garbage.length, 4);
      socket.getOutputStream().write(request);
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      assertThat(answer).startsWith("HTTP/1.1 400");
    }

    RawWebSocket attacker = app.server.raw(Map.of());
    garbage[0] = (byte) 0x8F; // FIN and a reserved opcode: never a valid frame
    attacker.sendBytes(garbage);
    assertThat(attacker.awaitClose()).isEqualTo(1002);
    assertAttackersClosedWith(1, WsCloseStatus.PROTOCOL_ERROR);
  }

  @Test
  public void aPeerThatNeverAnswersPingsIsClosedAfterTheIdleTimeout() {
    start(ws -> ws.idleTimeout(Duration.ofMillis(600)));
    RawWebSocket silent = app.server.raw(Map.of());
    long start = System.nanoTime();
    assertThat(silent.awaitClose()).isEqualTo(1001);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
    assertAttackersClosedWith(1, WsCloseStatus.GOING_AWAY);
    // Peers that answer the pings (the JDK client does on its own) stay, ping after ping.
    WsRecorder answering = app.server.connect();
    await().until(() -> answering.pings() >= 3 && app.bystander.pings() >= 3);
    assertThat(answering.isClosed()).isFalse();
    assertThat(marker(answering, "alive")).isEqualTo("echo:alive");
    app.assertBystanderUnharmed();
  }
}
