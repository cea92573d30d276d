package dev.reactivews;

import org.jspecify.annotations.Nullable;

/**
 * Thrown from {@link WsHandler#upgrade} to refuse a connection: the client gets this HTTP status
 * and no socket opens.
 */
public final class UpgradeRejectedException extends WsException {
  private final int status;

  /** A refusal with a 4xx or 5xx status; the message is the answer's body, {@code refused} when null. */
  public UpgradeRejectedException(int status, @Nullable String message) {
    super(message);
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("status must be 4xx or 5xx: " + status);
    }
    this.status = status;
  }

  /** 401: the request carries no valid credentials. */
  public static UpgradeRejectedException unauthorized() {
    return new UpgradeRejectedException(401, "Unauthorized");
  }

  /** 403: the credentials are valid but not allowed here. */
  public static UpgradeRejectedException forbidden() {
    return new UpgradeRejectedException(403, "Forbidden");
  }

  /** The HTTP status of the refusal. */
  public int status() {
    return status;
  }
}
