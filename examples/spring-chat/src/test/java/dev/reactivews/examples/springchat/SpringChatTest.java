package dev.reactivews.examples.springchat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivews.examples.chathandler.ChatSuite;
import dev.reactivews.examples.chathandler.RunningChat;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

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
