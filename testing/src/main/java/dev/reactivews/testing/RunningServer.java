package dev.reactivews.testing;

import dev.reactivews.Peer;
import dev.reactivews.WsConfig;
import dev.reactivews.WsPublisher;
import dev.reactivews.state.WsStates;
import java.util.Collection;

/** A started server of some transport, as the shared suites see it. */
public interface RunningServer extends AutoCloseable {
  /** The port it listens on. */
  int port();

  /** The WebSocket config it serves. */
  WsConfig config();

  /** Its server-wide publisher. */
  WsPublisher publisher();

  /** Its state topics. */
  WsStates states();

  /** Every peer connected to it. */
  Collection<Peer> peers();

  /**
   * Stops the server: every peer gets what the server had accepted to send it (every send and
   * publish that counted it), then a close with 1001, and its close hook has run when this
   * returns. Idempotent; {@link #peers()} still answers afterwards.
   */
  @Override
  void close();
}
