package dev.reactivews.examples.chathandler;

import dev.reactivews.Peer;
import dev.reactivews.state.WsStates;
import dev.reactivews.storage.Storage;
import java.util.Collection;

/** A chat server under test, whatever serves it. */
public interface RunningChat extends AutoCloseable {
  int port();

  Collection<Peer> peers();

  /** The chat's storage (nuxt-ws's {@code useStorage('ws')}), where an earlier release kept the history. */
  Storage storage();

  /** The server's state topics, the chat's history among them. */
  WsStates states();

  @Override
  void close();
}
