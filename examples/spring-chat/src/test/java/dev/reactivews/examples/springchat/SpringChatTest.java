package dev.reactivews.examples.springchat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivews.examples.chat.ChatSuite;
import dev.reactivews.examples.chat.RunningChat;
import java.io.IOException;
import java.net.ServerSocket;
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
