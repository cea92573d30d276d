package dev.reactivews.testing.suite;

import static dev.reactivews.testing.HookLog.marker;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivews.Peer;
import dev.reactivews.testing.WsRecorder;
import dev.reactivews.testing.WsTransport;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/**
 * Messages a client should not send, each with its defined answer; the connection stays open,
 * the server keeps serving a bystander, and nothing already accepted is lost. What every
 * transport must pass; a transport runs it by naming itself in a subclass.
 */
@Timeout(60)
public abstract class BadMessagesSuite {
  private CounterApp app;
  private WsRecorder attacker;

  /** The transport under test. */
  protected abstract WsTransport transport();

  @BeforeEach
  public void start() {
    app = new CounterApp(transport(), ws -> ws.maxJsonDepth(8));
    attacker = app.server.connect();
  }

  @AfterEach
  public void stop() throws Exception {
    app.close();
  }

  private List<String> appSaw() {
    return app.log.events().stream().filter(e -> e.startsWith("message ") || e.startsWith("binary ")).toList();
  }

  private void assertErrorFrame(String sent, String code) {
    attacker.send(sent);
    JsonNode error = WsRecorder.parse(attacker.next());
    assertThat(error.get("type").asString()).as(sent).isEqualTo("error");
    assertThat(error.get("code").asString()).as(sent).isEqualTo(code);
    assertThat(error.get("message").asString()).isNotBlank();
  }

  @Test
  public void invalidJsonReachesTheAppAsText() {
    attacker.send("{\"type\":\"publish\",\"topic\":");
    attacker.send("{not json at all");
    assertThat(marker(attacker, "end")).isEqualTo("echo:end");
    assertThat(appSaw()).containsExactly(
        "message {\"type\":\"publish\",\"topic\":", "message {not json at all", "message echo:end");
    app.assertBystanderUnharmed();
  }

  @Test
  public void protocolFramesOfTheWrongShapeAre_bad_request() {
    assertErrorFrame("{\"type\":\"subscribe\"}", "bad_request");
    assertErrorFrame("{\"type\":\"subscribe\",\"topic\":42}", "bad_request");
    assertErrorFrame("{\"type\":\"unsubscribe\",\"topic\":null}", "bad_request");
    assertErrorFrame("{\"type\":\"publish\",\"topic\":{\"a\":1},\"payload\":1}", "bad_request");
    assertErrorFrame("{\"type\":\"subscribe\",\"topic\":\"\"}", "bad_request");
    assertErrorFrame("{\"type\":\"subscribe\",\"topic\":\"" + "t".repeat(257) + "\"}", "bad_request");
    assertThat(marker(attacker, "end")).isEqualTo("echo:end");
    assertThat(appSaw()).containsExactly("message echo:end");

    attacker.send("{\"type\":\"subscribe\",\"topic\":\"" + "t".repeat(256) + "\"}");
    assertThat(marker(attacker, "longest")).isEqualTo("echo:longest");
    app.assertBystanderUnharmed();
  }

  @Test
  public void unknownTypesReachTheApp() {
    attacker.send("{\"type\":\"shout\",\"topic\":\"counter\"}");
    attacker.send("{\"type\":7}");
    attacker.send("{\"type\":\"SUBSCRIBE\",\"topic\":\"x\"}");
    assertThat(marker(attacker, "end")).isEqualTo("echo:end");
    assertThat(appSaw()).containsExactly("message {\"type\":\"shout\",\"topic\":\"counter\"}",
        "message {\"type\":7}", "message {\"type\":\"SUBSCRIBE\",\"topic\":\"x\"}", "message echo:end");
    app.assertBystanderUnharmed();
  }

  @Test
  public void binaryFramesReachTheAppAsBinary() {
    attacker.sendBinary(new byte[] {(byte) 0xde, (byte) 0xad, 0, (byte) 0xbe, (byte) 0xef});
    attacker.sendBinary("{\"type\":\"subscribe\",\"topic\":\"x\"}".getBytes(StandardCharsets.UTF_8));
    attacker.sendBinary(new byte[0]);
    assertThat(marker(attacker, "end")).isEqualTo("echo:end");
    assertThat(appSaw()).containsExactly("binary dead00beef",
        "binary 7b2274797065223a22737562736372696265222c22746f706963223a2278227d", "binary ", "message echo:end");
    assertThat(peerOf(attacker).topics()).doesNotContain("x");
    app.assertBystanderUnharmed();
  }

  @Test
  public void jsonNestedTooDeepIs_too_deepAndNeverReachesTheApp() {
    assertErrorFrame("[".repeat(20) + "]".repeat(20), "too_deep");
    assertErrorFrame("{\"type\":\"publish\",\"topic\":\"counter\",\"payload\":" + "[".repeat(50) + "]".repeat(50) + "}",
        "too_deep");
    assertErrorFrame("[".repeat(5000), "too_deep");
    assertThat(marker(attacker, "end")).isEqualTo("echo:end");
    attacker.send("[".repeat(8) + "]".repeat(8));
    assertThat(marker(attacker, "fits")).isEqualTo("echo:fits");
    assertThat(appSaw()).containsExactly(
        "message echo:end", "message " + "[".repeat(8) + "]".repeat(8), "message echo:fits");
    app.assertBystanderUnharmed();
  }

  @Test
  public void numbersAndNamesPastTheirBoundsAre_invalid_jsonAndNeverReachTheApp() {
    assertErrorFrame("{\"n\":" + "9".repeat(60_000) + "}", "invalid_json");
    assertErrorFrame("{\"type\":\"publish\",\"topic\":\"counter\",\"payload\":1e999999999}", "invalid_json");
    assertErrorFrame("[-1e999999999]", "invalid_json");
    assertErrorFrame("{\"" + "k".repeat(2000) + "\":1}", "invalid_json");
    assertThat(marker(attacker, "end")).isEqualTo("echo:end");
    assertThat(appSaw()).containsExactly("message echo:end");

    String longestNumber = "{\"n\":" + "9".repeat(1000) + "}";
    String longestName = "{\"" + "k".repeat(1024) + "\":1e308}";
    attacker.send(longestNumber);
    attacker.send(longestName);
    assertThat(marker(attacker, "fits")).isEqualTo("echo:fits");
    assertThat(appSaw()).containsExactly("message echo:end", "message " + longestNumber, "message " + longestName,
        "message echo:fits");
    app.assertBystanderUnharmed();
  }

  @Test
  public void topicNamesWithControlCharactersLoneSurrogatesOrOver256BytesAre_bad_request() {
    // JSON escapes: the server's parse turns them into the characters themselves.
    List<String> frames = List.of(
        "{\"type\":\"subscribe\",\"topic\":\"chat\\nINFO forged\"}",
        "{\"type\":\"subscribe\",\"topic\":\"a\\u0000\"}",
        "{\"type\":\"subscribe\",\"topic\":\"room\\ud800\"}",
        "{\"type\":\"subscribe\",\"topic\":\"room\\udc00\"}",
        "{\"type\":\"unsubscribe\",\"topic\":\"room\\ud800\"}",
        "{\"type\":\"publish\",\"topic\":\"room\\u001b[2J\",\"payload\":1}",
        "{\"type\":\"subscribe\",\"topic\":\"" + "é".repeat(129) + "\"}");
    frames.forEach(frame -> assertErrorFrame(frame, "bad_request"));
    assertThat(marker(attacker, "end")).isEqualTo("echo:end");
    assertThat(appSaw()).containsExactly("message echo:end");
    assertThat(peerOf(attacker).topics()).containsExactlyInAnyOrder("counter", "session", "_internal");

    String widest = "é".repeat(128);
    attacker.send("{\"type\":\"subscribe\",\"topic\":\"" + widest + "\"}");
    attacker.send("{\"type\":\"subscribe\",\"topic\":\"room 😀\"}");
    assertThat(marker(attacker, "subscribed")).isEqualTo("echo:subscribed");
    assertThat(peerOf(attacker).topics()).contains(widest, "room 😀");
    app.assertBystanderUnharmed();
  }

  @Test
  public void clientsMayOnlyListenToInternalTopics() {
    assertErrorFrame("{\"type\":\"unsubscribe\",\"topic\":\"_internal\"}", "forbidden");
    assertErrorFrame("{\"type\":\"publish\",\"topic\":\"_internal\",\"payload\":{\"admin\":true}}", "forbidden");
    assertErrorFrame("{\"type\":\"subscribe\",\"topic\":\"_internal\"}", "forbidden");
    assertThat(marker(attacker, "end")).isEqualTo("echo:end");
    assertThat(appSaw()).containsExactly("message echo:end");

    assertThat(peerOf(attacker).topics()).contains("_internal");
    app.server.server().publisher().publish("_internal", "from the server");
    assertThat(attacker.nextState("_internal").asString()).isEqualTo("from the server");
    assertThat(app.bystander.nextState("_internal").asString()).isEqualTo("from the server");
    app.assertBystanderUnharmed();
  }

  @Test
  public void aDefaultTopicCannotBeLeft() {
    assertErrorFrame("{\"type\":\"unsubscribe\",\"topic\":\"session\"}", "forbidden");
    assertThat(peerOf(attacker).topics()).contains("session", "counter");
    app.server.server().publisher().publish("session", "still here");
    assertThat(attacker.nextState("session").asString()).isEqualTo("still here");
    app.assertBystanderUnharmed();
  }

  private Peer peerOf(WsRecorder client) {
    // Once the marker is back the client's peer is surely listed.
    assertThat(marker(client, "who")).isEqualTo("echo:who");
    return app.server.server().peers().stream()
        .filter(p -> p != app.bystanderPeer)
        .findFirst().orElseThrow();
  }
}
