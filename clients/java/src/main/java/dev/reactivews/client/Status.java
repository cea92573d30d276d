package dev.reactivews.client;

/** Where a {@link ReactiveWsClient}'s connection stands. */
public enum Status {
  /** A connection is being set up: the server's config loading, or the handshake under way. */
  CONNECTING,
  /** Connected: sends go out at once and states follow the server. */
  OPEN,
  /** Not connected: before the first {@link ReactiveWsClient#open()}, between reconnects, after {@link ReactiveWsClient#close()}. */
  CLOSED
}
