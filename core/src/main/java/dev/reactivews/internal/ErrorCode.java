package dev.reactivews.internal;

/**
 * The codes of the error frames ({@code {"type":"error","code":...,"message":...}}) a peer gets
 * for a message the server could not take; the connection stays open.
 */
enum ErrorCode {
  /** A subscribe, unsubscribe or publish frame without a usable topic. */
  BAD_REQUEST("bad_request"),
  /** An internal topic, unsubscribing from a default topic, or refused by the authorize hook. */
  FORBIDDEN("forbidden"),
  /** JSON nested deeper than the configured limit. */
  TOO_DEEP("too_deep"),
  /** The app's validation failed; the frame lists every issue. */
  INVALID_MESSAGE("invalid_message"),
  /** The app's hook failed for another reason; details stay in the server log. */
  SERVER_ERROR("server_error");

  final String wire;

  ErrorCode(String wire) {
    this.wire = wire;
  }
}
