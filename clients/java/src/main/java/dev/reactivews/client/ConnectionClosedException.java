package dev.reactivews.client;

import java.io.IOException;

/**
 * The server (or the network path to it) closed the connection; what {@link
 * ReactiveWsClient#onError} hears when the client did not ask for it. The codes the reactive-ws
 * server sends are listed in its {@code WsCloseStatus}. A connection that ends without a close
 * frame is reported as the JDK's {@link IOException} instead.
 */
public final class ConnectionClosedException extends IOException {
  private final int code;
  private final String reason;

  /** The close frame's code and reason, as received. */
  public ConnectionClosedException(int code, String reason) {
    super("connection closed by the server: " + code + (reason.isEmpty() ? "" : " " + reason));
    this.code = code;
    this.reason = reason;
  }

  /** The WebSocket close code. */
  public int code() {
    return code;
  }

  /** The reason the server gave; empty when none. */
  public String reason() {
    return reason;
  }
}
