package dev.reactivews.testing;

import dev.reactivews.WsConfig;
import dev.reactivews.WsHandler;

/** A server under test: what the shared suites need of any transport. */
public interface WsTransport {
  /** Starts a server of this transport on an ephemeral port, serving the handler at the config's route. */
  RunningServer start(WsConfig config, WsHandler handler);
}
