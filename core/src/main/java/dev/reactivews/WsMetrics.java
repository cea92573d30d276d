package dev.reactivews;

/**
 * What a server counts as it runs, for a metrics library to record (the Spring Boot starter
 * binds it to Micrometer). Called on I/O threads: implementations must be cheap and never block.
 */
public interface WsMetrics {
  /** Records nothing. */
  WsMetrics NONE = new WsMetrics() {};

  /** A peer has opened. */
  default void peerOpened() {}

  /**
   * A peer has closed with the code; {@link WsCloseStatus#SLOW_CONSUMER} and {@link
   * WsCloseStatus#RATE_LIMITED} mean the server dropped it.
   */
  default void peerClosed(int code) {}

  /** A frame from a peer reached the server (text or binary, pings of the protocol included). */
  default void frameReceived() {}

  /** A frame was queued for writing to a peer. */
  default void frameSent() {}

  /** A state was published to the topic, by a peer or through the publisher. */
  default void published(String topic) {}
}
