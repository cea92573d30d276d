package dev.reactivews.examples.chathandler;

import dev.reactivews.Peer;
import dev.reactivews.storage.Storage;
import java.util.Collection;

/** A chat server under test, whatever serves it. */
public interface RunningChat extends AutoCloseable {
  int port();

  Collection<Peer> peers();

  /** The chat's storage (nuxt-ws's {@code useStorage('ws')}). */
  Storage storage();

  @Override
  void close();
}
