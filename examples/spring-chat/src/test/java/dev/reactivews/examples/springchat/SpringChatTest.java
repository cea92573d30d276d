package dev.reactivews.examples.springchat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivews.examples.chathandler.ChatFrames;
import dev.reactivews.examples.chathandler.ChatSuite;
import dev.reactivews.examples.chathandler.RunningChat;
import dev.reactivews.testing.WsRecorder;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/** {@link ChatSuite} against the chat on Spring Boot, and where it listens. */
class SpringChatTest extends ChatSuite {
  @Override
  protected RunningChat startChat(int port) {
    return SpringChat.start(port);
  }

  @Test
  void aMethodTheTriggerRefusesIsAnsweredWithAllowPost() throws Exception {
    for (String method : new String[] {"GET", "PUT", "DELETE"}) {
      HttpResponse<String> response = sendTrigger(method, null, null);
      assertThat(response.statusCode()).as(method).isEqualTo(405);
      assertThat(response.headers().allValues("Allow")).as(method).containsExactly("POST");
    }
  }

  /** As on Netty (ChatFileStorageTest): the list an earlier release kept by hand is moved into the state topic at start. */
  @Test
  void aHistoryAnEarlierReleaseKeptInAFileIsMovedIntoTheStateTopicAtStart(@TempDir Path directory) throws IOException {
    Path legacy = directory.resolve("ws%3Achat.json");
    Files.writeString(legacy, "{\"epoch\":1733212800000,\"lines\":[{\"user\":\"u1\",\"text\":\"kept by hand\",\"seq\":41}]}");

    try (RunningChat chat = SpringChat.start(0, "--ws.storage.driver=fs", "--ws.storage.dir=" + directory);
        WsRecorder reader = WsRecorder.connect(chat.port(), "/_ws").subscribe("chat")) {
      JsonNode history = ChatFrames.nextAt(reader, 1).get("payload");
      assertThat(history.findValuesAsString("text")).containsExactly("kept by hand");
      assertThat(history.findValuesAsString("id")).containsExactly("legacy-1733212800000-41");
      assertThat(Files.exists(legacy)).as("the legacy key's file").isFalse();
    }
  }

  @Test
  void itListensOnThePortOfPort() throws IOException {
    int free;
    try (ServerSocket socket = new ServerSocket(0)) {
      free = socket.getLocalPort();
    }
    // PORT as the environment would give it; Spring reads both through the same placeholder.
    try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SpringChatApplication.class)
        .run("--PORT=" + free, "--spring.main.banner-mode=off")) {
      assertThat(context.getEnvironment().getRequiredProperty("local.server.port", Integer.class)).isEqualTo(free);
    }
  }
}
