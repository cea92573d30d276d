package dev.reactivews.client;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Keeps an open connection honest: every {@code interval} the client sends {@code message}
 * (the text {@code ping}, which a reactive-ws or nuxt-ws server answers with {@code pong}); when
 * nothing at all comes back within {@code pongTimeout}, the server is taken for gone (a half-open
 * connection that TCP alone would not notice for minutes): the client sends a close frame with
 * code 3008 ("Timeout"), counts the connection as lost without waiting for an answer and, with a
 * {@link ReconnectPolicy}, makes it again, as the browser client does. The {@code responseMessage} text never reaches {@link
 * ReactiveWsClient#data()}. Immutable.
 */
public final class Heartbeat {
  private static final Heartbeat DISABLED = new Heartbeat(null, "ping", "pong", Duration.ofSeconds(10));
  private static final Heartbeat DEFAULTS = builder().build();

  /** Null when disabled. */
  private final @Nullable Duration interval;
  private final String message;
  private final String responseMessage;
  private final Duration pongTimeout;

  private Heartbeat(@Nullable Duration interval, String message, String responseMessage, Duration pongTimeout) {
    this.interval = interval;
    this.message = message;
    this.responseMessage = responseMessage;
    this.pongTimeout = pongTimeout;
  }

  /** No heartbeat: the default (a {@code pong} is still kept out of {@code data}). */
  public static Heartbeat disabled() {
    return DISABLED;
  }

  /** {@code ping} every 30 s, closed with 3008 when nothing came back within 10 s. */
  public static Heartbeat defaults() {
    return DEFAULTS;
  }

  /** A builder that starts from {@link #defaults()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** Whether pings are sent at all. */
  public boolean enabled() {
    return interval != null;
  }

  /** Time between two pings; {@link IllegalStateException} when disabled. */
  public Duration interval() {
    if (interval == null) {
      throw new IllegalStateException("the heartbeat is disabled");
    }
    return interval;
  }

  /** The text sent as a ping. */
  public String message() {
    return message;
  }

  /** The server's answer, kept out of {@code data}. */
  public String responseMessage() {
    return responseMessage;
  }

  /** How long after a ping the client waits for any message before it closes the connection with 3008. */
  public Duration pongTimeout() {
    return pongTimeout;
  }

  @Override
  public String toString() {
    return enabled()
        ? "Heartbeat{interval=" + interval + ", message=" + message + ", responseMessage=" + responseMessage
            + ", pongTimeout=" + pongTimeout + "}"
        : "Heartbeat{disabled}";
  }

  /** Builds an enabled {@link Heartbeat}; values are checked by {@link #build()}. */
  public static final class Builder {
    private Duration interval = Duration.ofSeconds(30);
    private String message = "ping";
    private String responseMessage = "pong";
    private Duration pongTimeout = Duration.ofSeconds(10);

    private Builder() {}

    /** Time between two pings; 30 s by default. */
    public Builder interval(Duration interval) {
      this.interval = Objects.requireNonNull(interval, "interval == null");
      return this;
    }

    /** The text sent as a ping; {@code ping} by default. */
    public Builder message(String message) {
      this.message = Objects.requireNonNull(message, "message == null");
      return this;
    }

    /** The server's answer to a ping, kept out of {@code data}; {@code pong} by default. */
    public Builder responseMessage(String responseMessage) {
      this.responseMessage = Objects.requireNonNull(responseMessage, "responseMessage == null");
      return this;
    }

    /** How long after a ping to wait for any message; 10 s by default. */
    public Builder pongTimeout(Duration pongTimeout) {
      this.pongTimeout = Objects.requireNonNull(pongTimeout, "pongTimeout == null");
      return this;
    }

    /** The heartbeat; {@link IllegalArgumentException} for a duration that is not positive or an empty message. */
    public Heartbeat build() {
      if (interval.isZero() || interval.isNegative() || pongTimeout.isZero() || pongTimeout.isNegative()) {
        throw new IllegalArgumentException("interval and pongTimeout must be positive: " + interval + ", " + pongTimeout);
      }
      if (message.isEmpty()) {
        throw new IllegalArgumentException("the ping message must not be empty");
      }
      return new Heartbeat(interval, message, responseMessage, pongTimeout);
    }
  }
}
