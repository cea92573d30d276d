package dev.reactivews.transport;

/** One open WebSocket, as the transport gives it to the engine. Thread-safe. */
public interface Connection {
  /**
   * Queues the frame for writing without blocking; false if the connection is closing or
   * closed. When the frame's turn comes and more than {@link
   * dev.reactivews.WsConfig#outboundBufferBytes()} still wait for the peer to read them, the
   * transport drops it and closes the connection with {@link
   * dev.reactivews.WsCloseStatus#SLOW_CONSUMER}.
   */
  boolean write(OutboundFrame frame);

  /** Sends a close frame with the code and reason, then closes; idempotent. */
  void close(int code, String reason);

  boolean isOpen();
}
