package dev.reactivews.client.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reactivews.client.HeldVersion;
import dev.reactivews.client.ReactiveWsClient;
import dev.reactivews.client.States;
import dev.reactivews.client.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.StringNode;

/**
 * Patch frames from the scripted server, for what the shared scenarios do not reach: typed topics,
 * the listeners, older snapshots, and the public RFC 6902 suite sent through the client's own
 * path (state, then patch frame, then the state or a resync).
 */
@Timeout(60)
class PatchFramesTest {
  record ChatLine(String user, String text) {}

  private static final ObjectMapper MAPPER = new ObjectMapper();
  /** json-patch-test-suite 1.1.0, which core's pom installs for its own tests (npm ci). */
  private static final Path SUITE = Path.of("core", "src", "test", "npm", "node_modules", "json-patch-test-suite");
  /** The enabled records of version 1.1.0 (95, 4 of them disabled), so that a suite not found cannot pass. */
  private static final int ENABLED_RECORDS = 91;

  private ScriptedServer server;
  private ReactiveWsClient client;

  @BeforeEach
  void start() throws InterruptedException {
    server = new ScriptedServer();
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    server.close();
  }

  private ScriptedServer.Connection connect(ReactiveWsClient.Builder builder) {
    client = builder.internals().defaults().autoClose(false).build();
    await().until(() -> server.connections.size() == 1);
    return server.connections.getFirst();
  }

  private static JsonNode json(String text) {
    return MAPPER.readTree(text);
  }

  @Test
  void aPatchedTypedTopicIsDecodedAgainAndOneThatNoLongerFitsKeepsStateAndVersion() {
    List<List<ChatLine>> heard = new CopyOnWriteArrayList<>();
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    ScriptedServer.Connection connection = connect(ReactiveWsClient.builder(server.url())
        .topics("chat")
        .bind("chat", new TypeReference<List<ChatLine>>() {}));
    client.onState("chat", (List<ChatLine> chat) -> heard.add(chat));
    client.onError(errors::add);

    connection.send(json("{\"topic\":\"chat\",\"v\":1,\"epoch\":\"9\",\"payload\":[{\"user\":\"ann\",\"text\":\"hi\"}]}"));
    await().until(() -> client.states().version("chat") != null);
    States before = client.states();
    connection.send(json("{\"topic\":\"chat\",\"v\":2,\"patch\":[{\"op\":\"add\",\"path\":\"/-\",\"value\":{\"user\":\"bob\",\"text\":\"yo\"}}]}"));
    await().until(() -> new HeldVersion("9", 2).equals(client.states().version("chat")));
    assertThat(client.states().<List<ChatLine>>get("chat"))
        .containsExactly(new ChatLine("ann", "hi"), new ChatLine("bob", "yo"));
    assertThat(before.json("chat")).as("the snapshot before the patch").hasSize(1);
    assertThat(before.<List<ChatLine>>get("chat")).containsExactly(new ChatLine("ann", "hi"));
    await().until(() -> heard.size() == 2);
    assertThat(heard.getLast()).hasSize(2);

    connection.send(json("{\"topic\":\"chat\",\"v\":3,\"patch\":[{\"op\":\"add\",\"path\":\"/-\",\"value\":[\"not\",\"a\",\"line\"]}]}"));
    await().until(() -> !errors.isEmpty());
    assertThat(errors.getFirst()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("topic 'chat' does not fit");
    assertThat(client.states().version("chat")).isEqualTo(new HeldVersion("9", 2));
    assertThat(client.states().json("chat")).hasSize(2);

    connection.send(json("{\"topic\":\"chat\",\"v\":3,\"merge\":[{\"user\":\"cy\",\"text\":\"all new\"}]}"));
    await().until(() -> new HeldVersion("9", 3).equals(client.states().version("chat")));
    assertThat(client.states().<List<ChatLine>>get("chat")).containsExactly(new ChatLine("cy", "all new"));
    client.send("marker");
    await().until(() -> connection.frames.size() == 2);
    assertThat(connection.frames).as("a state that does not fit its type asks for no resync")
        .containsExactly(json("{\"type\":\"subscribe\",\"topic\":\"chat\"}"), StringNode.valueOf("marker"));
  }

  @Test
  void aFrameThatIsNoPatchFrameIsData() {
    ScriptedServer.Connection connection = connect(ReactiveWsClient.builder(server.url()).topics("chat"));
    connection.send(json("{\"topic\":\"chat\",\"v\":1,\"payload\":[]}"));
    await().until(() -> client.states().version("chat") != null);
    for (String notAPatch : List.of(
        "{\"topic\":\"chat\",\"v\":\"2\",\"patch\":[]}",
        "{\"topic\":\"chat\",\"v\":2.5,\"patch\":[]}",
        "{\"topic\":\"chat\",\"v\":2,\"patch\":{\"op\":\"add\"}}",
        "{\"topic\":7,\"v\":2,\"patch\":[]}",
        "{\"topic\":\"chat\",\"patch\":[]}")) {
      connection.send(json(notAPatch));
      await().until(() -> client.data() != null && json(notAPatch).equals(client.data().json()));
    }
    assertThat(client.states().version("chat")).isEqualTo(new HeldVersion("0", 1));
    client.send("marker");
    await().until(() -> connection.frames.size() == 2);
    assertThat(connection.frames.getLast()).as("no resync before the marker").isEqualTo(StringNode.valueOf("marker"));
  }

  /**
   * Every enabled record of the suite as a topic of its own: its {@code doc} as the state at v1,
   * its {@code patch} as the patch frame to v2. One with {@code expected} ends there at v2, one
   * with {@code error} stays at v1 and is answered with a resync for the whole state, one with
   * neither moves to v2.
   */
  @Test
  void theJsonPatchSuiteThroughPatchFrames() throws Exception {
    Path suite = suiteDirectory();
    List<JsonNode> records = new ArrayList<>();
    for (String file : List.of("tests.json", "spec_tests.json")) {
      MAPPER.readTree(Files.readString(suite.resolve(file))).forEach(record -> {
        if (!record.path("disabled").asBoolean(false)) {
          records.add(record);
        }
      });
    }
    assertThat(records).hasSize(ENABLED_RECORDS);
    ScriptedServer.Connection connection = connect(ReactiveWsClient.builder(server.url()));
    await().until(() -> client.status() == Status.OPEN);
    for (int index = 0; index < records.size(); index++) {
      JsonNode record = records.get(index);
      connection.send(MAPPER.createObjectNode().put("topic", "record " + index).put("v", 1).set("payload", record.get("doc")));
      connection.send(MAPPER.createObjectNode().put("topic", "record " + index).put("v", 2).set("patch", record.get("patch")));
    }
    // Frames are taken in order: once this is data, every record was handled and its resync queued.
    JsonNode handled = json("{\"after\":\"every record\"}");
    connection.send(handled);
    await().until(() -> client.data() != null && handled.equals(client.data().json()));
    client.send("marker");
    await().until(() -> connection.frames.contains(StringNode.valueOf("marker")));

    List<JsonNode> resyncs = new ArrayList<>();
    for (int index = 0; index < records.size(); index++) {
      JsonNode record = records.get(index);
      String topic = "record " + index;
      String where = topic + ": " + record.path("comment").asString("(no comment)");
      if (record.has("error")) {
        resyncs.add(MAPPER.createObjectNode().put("type", "resync").put("topic", topic));
        assertThat(client.states().version(topic)).as(where).isEqualTo(new HeldVersion("0", 1));
        assertThat(client.states().json(topic)).as(where).isEqualTo(record.get("doc"));
      } else {
        assertThat(client.states().version(topic)).as(where).isEqualTo(new HeldVersion("0", 2));
        if (record.has("expected")) {
          assertThat(client.states().json(topic)).as(where).isEqualTo(record.get("expected"));
        }
      }
    }
    resyncs.add(StringNode.valueOf("marker"));
    assertThat(connection.frames).as("a resync for each record that must fail, and only those").containsExactlyElementsOf(resyncs);
  }

  /** The suite, found from the module's folder up, wherever the module sits in the repository. */
  private static Path suiteDirectory() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve(SUITE))) {
        return dir.resolve(SUITE);
      }
    }
    throw new IllegalStateException(SUITE + " not found above " + Path.of("").toAbsolutePath()
        + ": core's build installs it (npm ci in core/src/test/npm)");
  }
}
