package dev.reactivews.transport;

/** One open WebSocket, as the transport gives it to the engine. Thread-safe. */
public interface WsSocket {
  /**
   * Queues the frame for writing without blocking; false if the connection is closing or
   * closed. When the frame's turn comes and more than {@link
   * dev.reactivews.WsConfig#outboundBufferBytes()} still wait for the peer to read them, the
   * transport drops it and closes the connection with {@link
   * dev.reactivews.WsCloseStatus#SLOW_CONSUMER}. A transport that cannot see how much of a frame
   * the socket has taken closes once the peer's sends have also stalled, within a hard bound of
   * its own (the Spring starter: 500 ms, or 64 times the bound).
   */
  boolean write(OutboundFrame frame);

  /**
   * Sends a close frame with the code and reason, then closes; idempotent. From now on {@link
   * #write} refuses, but every frame it accepted before still goes out ahead of the close frame
   * (the server's stop relies on it), except when the connection closes for being slow: then
   * what waits is dropped.
   */
  void close(int code, String reason);

  boolean isOpen();
}
