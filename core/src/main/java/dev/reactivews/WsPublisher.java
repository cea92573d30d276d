package dev.reactivews;

import org.jspecify.annotations.Nullable;

/**
 * Publishes topic states from anywhere in the server (an HTTP route, a scheduled job): the
 * Java form of the original's {@code ws:publish} hook. One instance serves the whole server and
 * is safe to call from any thread.
 */
public interface WsPublisher {
  /**
   * Sends {@code {"topic": topic, "payload": payload}} to every subscriber of {@code topic} on
   * every node of the cluster (through the backplane); the frame is encoded once, a null payload
   * as JSON {@code null}. Returns how many peers of this node it was written to.
   *
   * @throws IllegalArgumentException if the topic is a state topic ({@link WsConfig#stateTopics()}):
   *     change it through {@link dev.reactivews.state.WsStates}
   */
  int publish(String topic, @Nullable Object payload, SendOptions options);

  /** {@link #publish(String, Object, SendOptions)} without compression. */
  default int publish(String topic, @Nullable Object payload) {
    return publish(topic, payload, SendOptions.DEFAULT);
  }
}
