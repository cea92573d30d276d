package dev.reactivews.examples.chat;

import static org.assertj.core.api.Assertions.assertThat;

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
import tools.jackson.databind.JsonNode;

/** {@code STORAGE_DIR}: the chat history outlives the server, and a crash. */
@Timeout(60)
class ChatFileStorageTest {
  @TempDir
  Path directory;

  @Test
  void historyIsKeptInFilesAcrossARestart() {
    Map<String, String> environment = Map.of("STORAGE_DIR", directory.toString());
    ReactiveWs first = ChatApp.start(0, environment);
    try (WsRecorder writer = WsRecorder.connect(first.port(), "/_ws").subscribe("chat")) {
      writer.publish("chat", "{\"text\":\"kept\"}");
      writer.nextState("chat");
    } finally {
      first.stop();
    }
    assertThat(Files.exists(directory.resolve("ws%3Achat.json"))).isTrue();

    ReactiveWs second = ChatApp.start(0, environment);
    try (WsRecorder reader = WsRecorder.connect(second.port(), "/_ws")) {
      JsonNode history = reader.nextState("chat");
      assertThat(history.get(0).get("text").asString()).isEqualTo("kept");
    } finally {
      second.stop();
    }
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
