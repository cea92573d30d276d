package dev.reactivews.examples.springchat;

import dev.reactivews.Peer;
import dev.reactivews.examples.chathandler.ChatLoad;
import dev.reactivews.examples.chathandler.RunningChat;
import dev.reactivews.state.WsStates;
import dev.reactivews.storage.Storage;
import dev.reactivews.transport.WsEngine;
import java.util.Collection;
import java.util.stream.Stream;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** {@link SpringChatApplication} on Tomcat, as the chat suites run it. */
final class SpringChat implements RunningChat {
  private final ConfigurableApplicationContext context;

  private SpringChat(ConfigurableApplicationContext context) {
    this.context = context;
  }

  /** Starts the chat on the port (0 for any free one), with more command-line arguments ({@code --chat.validation=…}). */
  static SpringChat start(int port, String... arguments) {
    // Arguments, unlike default properties, win over application.yml's PORT.
    return new SpringChat(new SpringApplicationBuilder(SpringChatApplication.class)
        .run(Stream.concat(Stream.of("--server.port=" + port, "--spring.main.banner-mode=off",
                "--ws.limits.outbound-buffer-bytes=" + ChatLoad.OUTBOUND_BUFFER_BYTES), Stream.of(arguments))
            .toArray(String[]::new)));
  }

  @Override
  public int port() {
    return context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
  }

  @Override
  public Collection<Peer> peers() {
    return context.getBean(WsEngine.class).peers();
  }

  @Override
  public Storage storage() {
    return context.getBean(Storage.class);
  }

  @Override
  public WsStates states() {
    return context.getBean(WsStates.class);
  }

  @Override
  public void close() {
    context.close();
  }
}
