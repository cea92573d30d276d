package dev.reactivews;

import org.jspecify.annotations.Nullable;

/** The base of every exception reactive-ws throws on purpose. */
public abstract class WsException extends RuntimeException {
  protected WsException(@Nullable String message) {
    super(message);
  }

  /**
   * An exception that reports a client's mistake rather than a bug: with {@code
   * writableStackTrace} false it keeps no stack trace, which would point at the framework and not
   * at the mistake, and costs more to fill in than answering the client does.
   */
  protected WsException(String message, boolean writableStackTrace) {
    super(message, null, false, writableStackTrace);
  }

  protected WsException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
