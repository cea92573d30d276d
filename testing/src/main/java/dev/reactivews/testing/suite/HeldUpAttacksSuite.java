package dev.reactivews.testing.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reactivews.Peer;
import dev.reactivews.WsCloseStatus;
import dev.reactivews.WsConfig;
import dev.reactivews.testing.HookLog;
import dev.reactivews.testing.RawWebSocket;
import dev.reactivews.testing.WsRecorder;
import dev.reactivews.testing.WsTransport;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Attacks that the server already withstood when they were tried, kept here so that it goes on
 * withstanding them: each is sent as an attacker would, and answered as the README's "Limits and
 * defenses" says, while a bystander is still served and nothing it had accepted is lost. What
 * every transport must pass; a transport runs it by naming itself in a subclass.
 *
 * <p>The rest of the attacks that held are kept where their feature is tested: a single
 * compressed bomb, oversized messages, invalid UTF-8 and reserved opcodes in {@link LimitsSuite},
 * the exact internal topic name in {@link BadMessagesSuite}, a graceful stop in {@link
 * ProtocolSuite}, static-file traversal on Netty in its {@code HttpTest}.
 */
@Timeout(60)
public abstract class HeldUpAttacksSuite {
  private static final String INTERNAL = "_internal";
  /** How long a frame a trick might have sent the bystander gets to arrive after the marker. */
  private static final Duration QUIET_PERIOD = Duration.ofMillis(300);

  // Each test sets it (start()) before use: null only between tests.
  @SuppressWarnings("NullAway.Init")
  private CounterApp app;

  /** The transport under test. */
  protected abstract WsTransport transport();

  @AfterEach
  public void stop() throws Exception {
    app.close();
  }

  private void start(Consumer<WsConfig.Builder> limits) {
    app = new CounterApp(transport(), limits);
  }

  /** Every attacker so far is closed with the code, its close hook ran, and the bystander is unharmed. */
  private void assertAttackersClosedWith(int attackers, WsCloseStatus status) {
    await().until(() -> app.log.eventsStartingWith("close ").size() == attackers);
    assertThat(app.log.eventsStartingWith("close ")).containsOnly("close " + status.code());
    assertThat(app.log.eventsStartingWith("message ")).isEmpty();
    app.assertBystanderUnharmed();
  }

  @Test
  public void aCompressedMessageInFragmentsThatInflatesPastMaxMessageBytesCloses1009() {
    start(ws -> ws.maxMessageBytes(1024));
    byte[] bomb = RawWebSocket.deflate(new byte[512 * 1024]);
    assertThat(bomb.length).as("the whole bomb is smaller than the limit").isLessThan(1024);
    int third = bomb.length / 3;

    RawWebSocket attacker = app.server.raw(Map.of("Sec-WebSocket-Extensions", "permessage-deflate"));
    assertThat(attacker.header("Sec-WebSocket-Extensions")).startsWith("permessage-deflate");
    // One write: the first fragment already inflates past the limit, and the server may close
    // before separate writes of the others were sent.
    ByteArrayOutputStream fragments = new ByteArrayOutputStream();
    fragments.writeBytes(RawWebSocket.frame(0x40 | RawWebSocket.TEXT, false, Arrays.copyOfRange(bomb, 0, third)));
    fragments.writeBytes(RawWebSocket.frame(RawWebSocket.CONTINUATION, false, Arrays.copyOfRange(bomb, third, 2 * third)));
    fragments.writeBytes(RawWebSocket.frame(RawWebSocket.CONTINUATION, true, Arrays.copyOfRange(bomb, 2 * third, bomb.length)));
    attacker.sendBytes(fragments.toByteArray());

    assertThat(attacker.awaitClose()).isEqualTo(1009);
    assertAttackersClosedWith(1, WsCloseStatus.MESSAGE_TOO_BIG);
  }

  @Test
  public void aCloseFrameWithACodeNoEndpointMaySendCloses1002() {
    start(ws -> {});
    // RFC 6455 7.4: below 1000 is unused, 1004-1006 and 1015 are never sent, 1016-2999 are
    // unassigned, and it defines nothing from 5000 up (Netty's decoder lets those through).
    int[] codes = {0, 999, 1004, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535};
    for (int code : codes) {
      RawWebSocket attacker = app.server.raw(Map.of());
      attacker.sendFrame(RawWebSocket.CLOSE, true, new byte[] {(byte) (code >> 8), (byte) code});
      assertThat(attacker.awaitClose()).as("close code %d", code).isEqualTo(1002);
    }
    RawWebSocket halfACode = app.server.raw(Map.of());
    halfACode.sendFrame(RawWebSocket.CLOSE, true, new byte[] {0x03});
    assertThat(halfACode.awaitClose()).as("a one-byte close payload").isEqualTo(1002);
    assertAttackersClosedWith(codes.length + 1, WsCloseStatus.PROTOCOL_ERROR);
  }

  /** RFC 6455 8.1 has the connection failed; Netty answers 1007 (invalid payload), Tomcat 1002. */
  @Test
  public void aCloseReasonThatIsNotUtf8FailsTheConnectionWith1007Or1002() {
    start(ws -> {});
    RawWebSocket attacker = app.server.raw(Map.of());
    attacker.sendFrame(RawWebSocket.CLOSE, true, new byte[] {0x03, (byte) 0xE8, 'o', 'k', (byte) 0xC3, 0x28});
    int code = attacker.awaitClose();
    assertThat(code).isIn(WsCloseStatus.INVALID_PAYLOAD.code(), WsCloseStatus.PROTOCOL_ERROR.code());
    app.log.awaitEvent("close " + code);
    assertThat(app.log.eventsStartingWith("close ")).containsExactly("close " + code);
    app.assertBystanderUnharmed();
  }

  @Test
  public void anUnmaskedFrameFromAClientCloses1002AndNeverReachesTheApp() {
    start(ws -> {});
    byte[] text = "{\"type\":\"publish\",\"topic\":\"counter\",\"payload\":1}".getBytes(StandardCharsets.UTF_8);
    byte[] unmasked = new byte[2 + text.length];
    unmasked[0] = (byte) (0x80 | RawWebSocket.TEXT);
    unmasked[1] = (byte) text.length;
    System.arraycopy(text, 0, unmasked, 2, text.length);

    RawWebSocket attacker = app.server.raw(Map.of());
    attacker.sendBytes(unmasked);
    assertThat(attacker.awaitClose()).isEqualTo(1002);
    assertAttackersClosedWith(1, WsCloseStatus.PROTOCOL_ERROR);
  }

  /**
   * Names that look like the internal topic (case, surrounding whitespace, look-alike letters,
   * invisible characters) are refused or are topics of their own: subscribing to one reaches
   * nothing the internal topic hears, and unsubscribing from one does not take the attacker off
   * the internal topic, which still hears the server's publish once per peer.
   */
  @Test
  public void namesThatLookLikeTheInternalTopicAreRefusedOrKeptApart() {
    start(ws -> {});
    WsRecorder attacker = app.server.connect();
    List<String> lookalikes = List.of(
        "_INTERNAL", "_Internal", " _internal", "_internal ", "\t_internal", "_internal\n",
        "\uFF3Finternal", // fullwidth low line
        "_\u0456nternal", // Cyrillic i
        "_internal\u200B", // zero-width space
        "_i\u0307nternal"); // i and a combining dot
    lookalikes.forEach(topic -> attacker.send("{\"type\":\"subscribe\",\"topic\":" + jsonString(topic) + "}"));
    sendMarkerAndAwaitIt(attacker, "subscribed");

    Peer attackerPeer = app.server.server().peers().stream().filter(p -> p != app.bystanderPeer).findFirst().orElseThrow();
    assertThat(attackerPeer.topics()).contains(INTERNAL);
    for (String topic : lookalikes) {
      int expected = attackerPeer.topics().contains(topic) ? 1 : 0;
      assertThat(app.server.server().publisher().publish(topic, "to the look-alike"))
          .as("peers reached on %s", jsonString(topic)).isEqualTo(expected);
    }

    lookalikes.forEach(topic -> attacker.send("{\"type\":\"unsubscribe\",\"topic\":" + jsonString(topic) + "}"));
    sendMarkerAndAwaitIt(attacker, "unsubscribed");
    assertThat(attackerPeer.topics()).contains(INTERNAL).doesNotContainAnyElementsOf(lookalikes);
    assertThat(app.server.server().publisher().publish(INTERNAL, "from the server"))
        .as("the internal topic's listeners").isEqualTo(2);
    assertThat(app.bystander.nextState(INTERNAL).asString()).isEqualTo("from the server");
    assertThat(attacker.nextMatching(m -> INTERNAL.equals(m.path("topic").asString())).path("payload").asString())
        .isEqualTo("from the server");
    await().during(QUIET_PERIOD).atMost(QUIET_PERIOD.multipliedBy(4))
        .until(() -> app.bystander.received().stream().noneMatch(m -> m.contains("to the look-alike")));
    app.assertBystanderUnharmed();
  }

  /** Sends the marker after what the client sent before, and waits until the app has it: all before it was handled. */
  private void sendMarkerAndAwaitIt(WsRecorder client, String name) {
    client.send(HookLog.ECHO + name);
    await().until(() -> app.log.events().contains("message " + HookLog.ECHO + name));
  }

  private static String jsonString(String text) {
    StringBuilder json = new StringBuilder("\"");
    text.chars().forEach(c -> json.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", c) : String.valueOf((char) c)));
    return json.append('"').toString();
  }

  /**
   * Paths that would leave the browser client's folder, were they decoded or normalized after the
   * check: none is served. The client itself is, as a control.
   */
  @Test
  public void pathsOutOfTheClientFilesFolderAreNeverServed() {
    start(ws -> {});
    assertThat(app.server.rawGetStatus("/_reactive-ws/client.js")).isEqualTo(200);
    List<String> targets = List.of(
        "/_reactive-ws/../../dev/reactivews/WsConfig.class",
        "/_reactive-ws/%2e%2e/%2e%2e/dev/reactivews/WsConfig.class",
        "/_reactive-ws/%2E%2E%2F%2E%2E%2Fdev%2Freactivews%2FWsConfig.class",
        "/_reactive-ws/..%2f..%2fdev/reactivews/WsConfig.class",
        "/_reactive-ws/%252e%252e/%252e%252e/dev/reactivews/WsConfig.class",
        "/_reactive-ws/..%5c..%5cdev/reactivews/WsConfig.class",
        "/_reactive-ws/..\\..\\dev/reactivews/WsConfig.class",
        "/_reactive-ws/..;/..;/dev/reactivews/WsConfig.class",
        "/_reactive-ws//dev/reactivews/WsConfig.class",
        "/_reactive-ws/client.js%00.class",
        "/_reactive-ws/%c0%ae%c0%ae/%c0%ae%c0%ae/dev/reactivews/WsConfig.class");
    for (String target : targets) {
      assertThat(app.server.rawGetStatus(target)).as(target).isIn(400, 404);
    }
    app.assertBystanderUnharmed();
  }
}
