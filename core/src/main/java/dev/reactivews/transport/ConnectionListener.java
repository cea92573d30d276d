package dev.reactivews.transport;

/**
 * Receives what happens on one connection, from the transport's I/O thread. Calls never block:
 * the engine hands app work to the peer's own queue.
 */
public interface ConnectionListener {
  /** A whole text message (fragments already joined, UTF-8 already checked). */
  void onText(String text);

  /** A whole binary message. */
  void onBinary(byte[] bytes);

  /** The connection is closed; called exactly once, last. */
  void onClosed(int code, String reason);
}
