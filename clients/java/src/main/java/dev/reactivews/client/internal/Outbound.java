package dev.reactivews.client.internal;

import dev.reactivews.TopicAction;

/**
 * One message waiting to be sent: text or bytes.
 *
 * @param text null for a binary message
 * @param bytes null for a text message
 * @param operation the operation the text carries, so buffered operations can be checked again on open; or null
 * @param connectionOnly whether it means something on its own connection only (a heartbeat, a
 *     resync), so it is never carried over to another
 */
record Outbound(String text, byte[] bytes, Protocol.Operation operation, boolean connectionOnly) {
  static Outbound text(String text) {
    return new Outbound(text, null, null, false);
  }

  static Outbound operation(String text, TopicAction type, String topic) {
    return new Outbound(text, null, new Protocol.Operation(type, topic), false);
  }

  static Outbound binary(byte[] bytes) {
    return new Outbound(null, bytes, null, false);
  }

  /** A heartbeat ping, or a resync: for the connection it is made on. */
  static Outbound forConnection(String text) {
    return new Outbound(text, null, null, true);
  }
}
