package dev.reactivews.netty;

import dev.reactivews.WsException;

/** Thrown from an {@link HttpHandler} to answer with a status and {@code {"error": message}}. */
public final class HttpException extends WsException {
  private final int status;

  public HttpException(int status, String message) {
    super(message);
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("status must be 4xx or 5xx: " + status);
    }
    this.status = status;
  }

  public int status() {
    return status;
  }
}
