package dev.reactivews.transport;

/**
 * Receives what happens on one connection, from the transport's I/O thread. Calls never block:
 * the engine hands app work to the peer's own queue.
 */
public interface WsSocketListener {
  /** A whole text message (fragments already joined, UTF-8 already checked). */
  void onText(String text);

  /** A whole binary message. */
  void onBinary(byte[] bytes);

  /**
   * A ping frame came. It counts against the peer's message rate like a message (past it the
   * peer is closed with {@link dev.reactivews.WsCloseStatus#RATE_LIMITED}); returns whether the
   * transport is to answer it, with a pong that goes out through the same bounded path as every
   * other frame, so a peer that pings and never reads is closed as slow.
   */
  boolean onPing();

  /** The connection is closed; called exactly once, last. */
  void onClosed(int code, String reason);
}
