package dev.reactivews.transport;

import dev.reactivews.WsConfig;
import java.time.Duration;

/**
 * The rules every transport applies the same way, written once: when a silent peer is pinged
 * and when it is given up, how long a close frame may take, and how far past the outbound bound
 * a queue may grow before the peer is closed at once.
 */
public final class TransportPolicy {
  /** How long a close frame may take to get through before the socket is closed anyway. */
  public static final Duration CLOSE_GRACE = Duration.ofSeconds(1);

  /**
   * Past this many times {@link WsConfig#outboundBufferBytes()} queued, a peer is closed as slow
   * when the next frame comes, even if it has kept up so far: memory stays bounded when frames
   * come faster than they can be written.
   */
  public static final int HARD_BOUND_FACTOR = 64;

  private TransportPolicy() {}

  /** After this long without a read from a peer, the transport pings it. */
  public static Duration pingAfter(WsConfig config) {
    return config.idleTimeout().dividedBy(2);
  }

  /** After this long without a read (pings unanswered), the transport closes the peer with 1001. */
  public static Duration closeAfter(WsConfig config) {
    return config.idleTimeout();
  }

  /** The queued bytes past which a peer is closed at once; see {@link #HARD_BOUND_FACTOR}. */
  public static long hardBoundBytes(WsConfig config) {
    return (long) HARD_BOUND_FACTOR * config.outboundBufferBytes();
  }
}
