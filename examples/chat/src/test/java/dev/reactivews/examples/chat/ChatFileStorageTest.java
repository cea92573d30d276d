package dev.reactivews.examples.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivews.examples.chathandler.ChatFrames;
import dev.reactivews.netty.ReactiveWs;
import dev.reactivews.testing.LogCapture;
import dev.reactivews.testing.WsRecorder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/** {@code STORAGE_DIR}: the chat history outlives the server, a crash, and an upgrade from a hand-kept list. */
@Timeout(60)
class ChatFileStorageTest {
  @TempDir
  Path directory;

  @Test
  void historyIsKeptInFilesAcrossARestart() {
    ReactiveWs first = ChatApp.start(0, environment());
    try (WsRecorder writer = WsRecorder.connect(first.port(), "/_ws").subscribe("chat")) {
      writer.publish("chat", "{\"text\":\"kept\"}");
      ChatFrames.nextAt(writer, 1);
    } finally {
      first.stop();
    }
    assertThat(Files.isDirectory(directory.resolve(".states"))).as("the state store's folder").isTrue();

    ReactiveWs second = ChatApp.start(0, environment());
    try (WsRecorder reader = WsRecorder.connect(second.port(), "/_ws").subscribe("chat")) {
      JsonNode history = ChatFrames.nextAt(reader, 1).get("payload");
      assertThat(history.get(0).get("text").asString()).isEqualTo("kept");
    } finally {
      second.stop();
    }
  }

  /**
   * The list an earlier release kept by hand under the key {@code chat} is moved into the state
   * topic at start, once: subscribers get its lines at version 1, then and after a restart, and
   * the key's file is gone.
   */
  @Test
  void aHistoryAnEarlierReleaseKeptInAFileIsMovedIntoTheStateTopicAtStart() throws Exception {
    Path legacy = directory.resolve("ws%3Achat.json");
    Files.writeString(legacy, "[{\"user\":\"u1\",\"text\":\"from before\",\"seq\":1},"
        + "{\"user\":\"u2\",\"text\":\"the upgrade\",\"seq\":2}]");

    ReactiveWs chat;
    try (LogCapture log = LogCapture.start()) {
      chat = ChatApp.start(0, environment());
      assertThat(log.text()).contains("moved the 2 line(s) of the chat history under the storage key 'chat' "
          + "into the state topic 'chat' (now at version 1) and removed the key");
    }
    try (WsRecorder reader = WsRecorder.connect(chat.port(), "/_ws").subscribe("chat")) {
      JsonNode history = ChatFrames.nextAt(reader, 1).get("payload");
      assertThat(history.findValuesAsString("text")).containsExactly("from before", "the upgrade");
      assertThat(history.findValuesAsString("user")).containsExactly("u1", "u2");
      assertThat(history.findValuesAsString("id")).containsExactly("legacy-0-1", "legacy-0-2");
      assertThat(Files.exists(legacy)).as("the legacy key's file").isFalse();
    } finally {
      chat.stop();
    }

    ReactiveWs restarted = ChatApp.start(0, environment());
    try (WsRecorder reader = WsRecorder.connect(restarted.port(), "/_ws").subscribe("chat")) {
      assertThat(ChatFrames.nextAt(reader, 1).get("payload").findValuesAsString("text"))
          .containsExactly("from before", "the upgrade");
    } finally {
      restarted.stop();
    }
  }

  /**
   * A legacy key that holds no history (a line without text, not a list, not JSON) is neither
   * moved nor removed, and the chat starts empty and works.
   */
  @ParameterizedTest
  @ValueSource(strings = {"{\"lines\":[{\"user\":\"u1\",\"text\":42}]}", "\"a note\"", "[{\"text\":\"half writ"})
  void aLegacyKeyHoldingNoChatHistoryIsLeftAsItIsAndLogged(String stored) throws Exception {
    Path legacy = directory.resolve("ws%3Achat.json");
    Files.writeString(legacy, stored);

    ReactiveWs chat;
    try (LogCapture log = LogCapture.start()) {
      chat = ChatApp.start(0, environment());
      assertThat(log.lines()).anySatisfy(line -> assertThat(line)
          .contains("WARN")
          .contains("the storage key 'chat' holds no chat history of an earlier release, left as it is: "));
    }
    try (WsRecorder client = WsRecorder.connect(chat.port(), "/_ws").subscribe("chat")) {
      assertThat(ChatFrames.nextAt(client, 0).get("payload")).isEmpty();
      client.publish("chat", "{\"text\":\"a new start\"}");
      assertThat(ChatFrames.nextAt(client, 1).get("payload").findValuesAsString("text")).containsExactly("a new start");
      assertThat(Files.readString(legacy)).isEqualTo(stored);
    } finally {
      chat.stop();
    }
  }

  private Map<String, String> environment() {
    return Map.of("STORAGE_DIR", directory.toString());
  }

  @Test
  void whatACrashOrAnEarlierVersionLeftIsTidiedAtStartAndLogged() throws Exception {
    Path leftover = directory.resolve(".tmp-" + UUID.randomUUID());
    Files.writeString(leftover, "[{\"text\":\"half writ");
    Files.writeString(directory.resolve("ws%3AGeneral.json"), "[\"an earlier version's\"]");

    ReactiveWs chat;
    try (LogCapture log = LogCapture.start()) {
      chat = ChatApp.start(0, Map.of("STORAGE_DIR", directory.toString()));
      assertThat(log.text())
          .contains("removed 1 temporary file(s) that an interrupted write left in " + directory)
          .contains("renamed 1 file(s) of keys with upper-case letters in " + directory);
    }
    try {
      assertThat(Files.exists(leftover)).isFalse();
      assertThat(Files.exists(directory.resolve("ws%3A%47eneral.json"))).isTrue();
      assertThat(chat.storage("ws").getItem("General", List.class)).containsExactly("an earlier version's");
    } finally {
      chat.stop();
    }
  }
}
