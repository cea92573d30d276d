package dev.reactivews.cluster;

import java.util.function.IntSupplier;

/**
 * Counts the peers connected to the other nodes of a cluster, so that {@link
 * dev.reactivews.Peer#peerCount()} is cluster-wide. The default, {@link #local()}, knows no
 * other node. {@code dev.reactivews.redis.ReactiveWsRedis#presence()} is the Redis one, where
 * the peers of a node that died drop out of the count on their own after a set time.
 *
 * <p>{@link #start} is called once, before any other method; {@link #close} once, last, when
 * the server stops (a clean stop takes this node out of the count at once). Implementations
 * are thread-safe and never block the caller.
 */
public interface Presence extends AutoCloseable {
  /**
   * Starts counting: {@code localCount} tells this node's current number of peers, and {@code
   * othersChanged} is to be run whenever {@link #others()} changed (from any thread; it does
   * not block).
   */
  void start(IntSupplier localCount, Runnable othersChanged);

  /** This node's number of peers changed: tell the other nodes (queue the work, do not block). */
  void localChanged();

  /** Peers connected to the other nodes, as last known; 0 when alone. Never blocks. */
  int others();

  /** Takes this node out of the count; the server calls it when it stops. */
  @Override
  default void close() {}

  /** The single-node presence: no other node, so the count is this node's peers. */
  static Presence local() {
    return LocalPresence.INSTANCE;
  }
}
