package dev.reactivews.cluster;

import dev.reactivews.transport.OutboundFrame;

/**
 * Carries published frames between the server nodes of a cluster, so that a publish on one
 * node reaches the subscribers of every node. The server hands each publish's encoded frame to
 * {@link #publish}, then delivers it to its own subscribers; frames from other nodes come back
 * through {@link Delivery} and are written to local subscribers as they are.
 *
 * <p>The default, {@link #local()}, does nothing: one node on its own. {@code
 * dev.reactivews.redis.ReactiveWsRedis#backplane()} is the Redis one.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>{@link #start} is called once, before any other method; {@link #close} once, last.
 *   <li>{@link #subscribe} is called when a topic gets its first subscriber on this node and
 *       {@link #unsubscribe} when its last one leaves, in that order for each topic, while the
 *       topic's entry is locked: they must not block (queue the work).
 *   <li>{@link #publish} must not block either, and must not hand the frame back to this node:
 *       the server delivers it there itself. Each other node that listens to the topic gets it
 *       exactly once.
 *   <li>Implementations are thread-safe; a failure to reach the other nodes is logged, never
 *       thrown at the publisher (local delivery goes on), with one exception: a backplane that
 *       bounds what waits to be sent throws {@link BackplaneOverloadedException} past its bound,
 *       and the whole publish fails, on this node too.
 * </ul>
 */
public interface Backplane extends AutoCloseable {
  /** Where a backplane delivers the frames other nodes published. */
  @FunctionalInterface
  interface Delivery {
    /**
     * Writes the frame to this node's subscribers of the topic. {@code epoch} and {@code version}
     * are the ones the publisher gave ({@link dev.reactivews.SendOptions#epoch()}, {@link
     * dev.reactivews.SendOptions#version()}), 0 for none. Never blocks.
     */
    void deliver(String topic, OutboundFrame frame, long epoch, long version);
  }

  /** Starts listening; frames from other nodes go to {@code delivery} from now on. */
  void start(Delivery delivery);

  /** This node now has a subscriber of the topic: receive what other nodes publish to it. */
  void subscribe(String topic);

  /** This node no longer has any subscriber of the topic: stop receiving it. */
  void unsubscribe(String topic);

  /**
   * Sends a frame to the subscribers of every other node; the server delivers it on this node
   * after. Throws {@link BackplaneOverloadedException} if too much waits to be sent already.
   */
  void publish(String topic, OutboundFrame frame, long epoch, long version);

  /** Stops listening and publishing; the server calls it when it stops. */
  @Override
  default void close() {}

  /** The single-node backplane: publishes reach this node's subscribers only. */
  static Backplane local() {
    return LocalBackplane.INSTANCE;
  }
}
