package dev.reactivews;

/**
 * How a connection ended: the close code and reason the peer sent, or the ones the server sent
 * when it closed first; {@code 1006} when the connection dropped without a close frame.
 */
public record CloseEvent(int code, String reason) {
  /** The code for a connection that ended without a close frame (RFC 6455, never sent). */
  public static final int ABNORMAL = 1006;
}
