package dev.reactivews;

/** The close codes reactive-ws sends, and why. */
public enum WsCloseStatus {
  /** The peer or the app ended the connection normally. */
  NORMAL(1000),
  /** The server is shutting down, or the peer stopped answering pings (idle timeout). */
  GOING_AWAY(1001),
  /** The peer broke the WebSocket protocol (bad framing, unexpected continuation). */
  PROTOCOL_ERROR(1002),
  /** A text frame was not valid UTF-8. */
  INVALID_PAYLOAD(1007),
  /** A message was larger than {@link WsConfig#maxMessageBytes()}, before or after inflation. */
  MESSAGE_TOO_BIG(1009),
  /** The server failed in a way that is not the peer's fault. */
  INTERNAL_ERROR(1011),
  /**
   * The server reached {@link WsConfig#maxConnections()} between this peer's handshake and its
   * open (handshakes are refused with HTTP 503 before that); the peer never opened.
   */
  TRY_AGAIN_LATER(1013),
  /** The peer did not read fast enough: its outbound buffer passed {@link WsConfig#outboundBufferBytes()}. */
  SLOW_CONSUMER(4008),
  /**
   * The peer sent more than {@link WsConfig#maxMessagesPerSecond()} messages a second, or more
   * than {@link WsConfig#maxQueuedMessages()} waited for the app at once.
   */
  RATE_LIMITED(4029);

  private final int code;

  WsCloseStatus(int code) {
    this.code = code;
  }

  /** The numeric code sent in the close frame. */
  public int code() {
    return code;
  }
}
