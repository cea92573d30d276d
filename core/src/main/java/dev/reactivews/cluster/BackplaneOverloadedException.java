package dev.reactivews.cluster;

import dev.reactivews.WsException;

/**
 * A publish refused because too much is already waiting to reach the other nodes (their
 * broker is stalled, say): it reached no one, on this node or another. Thrown to whoever
 * published; in a hook, the peer gets a {@code server_error} frame. No stack trace: the message
 * says what waits and where.
 */
public final class BackplaneOverloadedException extends WsException {
  public BackplaneOverloadedException(String message) {
    super(message, false);
  }
}
