package dev.reactivews.internal;

/**
 * The codes of the error frames ({@code {"type":"error","code":...,"message":...}}) a peer gets
 * for a message the server could not take; the connection stays open.
 */
enum ErrorCode {
  /**
   * A subscribe, unsubscribe or publish frame without a usable topic: a string of 1 to 256 UTF-8
   * bytes without control characters or lone surrogates.
   */
  BAD_REQUEST("bad_request"),
  /** An internal topic, unsubscribing from a default topic, or refused by the authorize hook. */
  FORBIDDEN("forbidden"),
  /** JSON nested deeper than the configured limit. */
  TOO_DEEP("too_deep"),
  /**
   * JSON the server will not turn into a value: a number over 1,000 characters, a field name
   * over 1,024, or a number beyond the range of a double ({@code 1e999999999}).
   */
  INVALID_JSON("invalid_json"),
  /** A subscribe past {@link dev.reactivews.WsConfig#maxTopicsPerPeer()}; nothing was subscribed. */
  TOO_MANY_TOPICS("too_many_topics"),
  /** The app's validation failed; the frame lists every issue. */
  INVALID_MESSAGE("invalid_message"),
  /** The app's hook failed for another reason; details stay in the server log. */
  SERVER_ERROR("server_error");

  final String wire;

  ErrorCode(String wire) {
    this.wire = wire;
  }
}
