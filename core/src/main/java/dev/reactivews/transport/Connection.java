package dev.reactivews.transport;

/** One open WebSocket, as the transport gives it to the engine. Thread-safe. */
public interface Connection {
  /**
   * Queues the frame for writing without blocking. When the connection's outbound buffer is
   * over {@link dev.reactivews.WsConfig#outboundBufferBytes()}, closes it with {@link
   * dev.reactivews.WsCloseStatus#SLOW_CONSUMER} instead. Returns false if the frame was not
   * queued.
   */
  boolean write(OutboundFrame frame);

  /** Sends a close frame with the code and reason, then closes; idempotent. */
  void close(int code, String reason);

  boolean isOpen();
}
