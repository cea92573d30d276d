package dev.reactivews.examples.chat;

import dev.reactivews.Peer;
import java.util.Collection;

/** A chat server under test, whatever serves it. */
public interface RunningChat extends AutoCloseable {
  int port();

  Collection<Peer> peers();

  @Override
  void close();
}
