package dev.reactivews.client;

import java.util.Locale;

/** The protocol operations a client sends for a topic: the {@code type} of {@code {"type":..., "topic":...}}. */
public enum MessageType {
  /** {@code {"type":"subscribe","topic":T}}: the server sends this client the topic's states from now on. */
  SUBSCRIBE,
  /** {@code {"type":"unsubscribe","topic":T}}: the server stops sending the topic. */
  UNSUBSCRIBE,
  /** {@code {"type":"publish","topic":T,"payload":P}}: reaches the server app's message hook. */
  PUBLISH;

  /** The value of {@code type} on the wire: {@code "subscribe"}, {@code "unsubscribe"} or {@code "publish"}. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
