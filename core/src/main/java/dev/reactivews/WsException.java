package dev.reactivews;

/** The base of every exception reactive-ws throws on purpose. */
public abstract class WsException extends RuntimeException {
  protected WsException(String message) {
    super(message);
  }

  protected WsException(String message, Throwable cause) {
    super(message, cause);
  }
}
