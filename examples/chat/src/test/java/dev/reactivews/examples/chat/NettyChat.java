package dev.reactivews.examples.chat;

import dev.reactivews.Peer;
import dev.reactivews.examples.chathandler.ChatLoad;
import dev.reactivews.examples.chathandler.ChatValidation;
import dev.reactivews.examples.chathandler.RunningChat;
import dev.reactivews.netty.ReactiveWs;
import dev.reactivews.state.WsStates;
import dev.reactivews.storage.Storage;
import java.util.Collection;
import java.util.Map;

/** {@link ChatApp} on Netty, as the suites run it. */
final class NettyChat implements RunningChat {
  private final ReactiveWs server;

  private NettyChat(ReactiveWs server) {
    this.server = server;
  }

  /**
   * Starts the chat on the port (0 for any free one) with an environment of its own, so that a
   * {@code REDIS_URL} or {@code WS_*} in the shell cannot change what the tests see.
   */
  static NettyChat start(int port) {
    return new NettyChat(ChatApp.start(port, Map.of(OUTBOUND_BUFFER, ChatLoad.OUTBOUND_BUFFER_BYTES)));
  }

  /** The same, but for {@code CHAT_VALIDATION}, which picks the validation. */
  static NettyChat start(int port, ChatValidation validation) {
    return new NettyChat(ChatApp.start(port,
        Map.of(OUTBOUND_BUFFER, ChatLoad.OUTBOUND_BUFFER_BYTES, "CHAT_VALIDATION", validation.choice())));
  }

  private static final String OUTBOUND_BUFFER = "WS_LIMITS_OUTBOUND_BUFFER_BYTES";

  @Override
  public int port() {
    return server.port();
  }

  @Override
  public Collection<Peer> peers() {
    return server.peers();
  }

  @Override
  public Storage storage() {
    return server.storage("ws");
  }

  @Override
  public WsStates states() {
    return server.states();
  }

  @Override
  public void close() {
    server.stop();
  }
}
