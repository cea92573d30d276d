package dev.reactivews.internal;

import dev.reactivews.SendOptions;
import dev.reactivews.state.StateVersion;
import dev.reactivews.transport.OutboundFrame;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The order of versioned states: per topic with subscribers, the newest version this node
 * delivered, whose entry is the lock every versioned delivery to the topic takes. A state older
 * than the topic's newest goes nowhere; one of another epoch is the newest whatever its number,
 * and the reset is logged. Where a topic whose state the framework keeps gets its versions.
 */
final class VersionedStates {
  private final TopicRegistry topics;
  private final ConcurrentMap<String, StateVersion> newest = new ConcurrentHashMap<>();

  VersionedStates(TopicRegistry topics) {
    this.topics = topics;
  }

  /** The version the app gave a state in its options, or null for a state without one. */
  static StateVersion versionOf(SendOptions options) {
    return versionOf(options.epoch(), options.version());
  }

  /** The version, or null when {@code number} is 0: the app gave the state none. */
  static StateVersion versionOf(long epoch, long number) {
    return number <= 0 ? null : new StateVersion(epoch, number);
  }

  /**
   * Writes the state to every subscriber but {@code exclude} (may be null) whose last state of
   * the topic is older, unless this node already delivered a newer one; how many got it.
   */
  int fanOut(String topic, OutboundFrame frame, RealPeer exclude, StateVersion version) {
    if (topics.subscribers(topic).isEmpty()) {
      return 0;
    }
    int[] written = {0};
    newest.compute(topic, (t, last) -> {
      if (!version.follows(last)) {
        return last;
      }
      if (version.resets(last)) {
        Hub.LOG.warn("topic {}: a state of a new data set (epoch {}, version {}) replaces epoch {} at version {}; "
            + "its versions start again, so its data was lost or made anew", LogText.escape(topic),
            version.epoch(), version.number(), last.epoch(), last.number());
      }
      for (RealPeer peer : topics.subscribers(topic)) {
        if (peer != exclude && peer.writeState(topic, frame, version)) {
          written[0]++;
        }
      }
      return version;
    });
    return written[0];
  }

  /** Writes the state to one peer if its last state of the topic is older, in order with the fan-outs. */
  boolean send(RealPeer peer, String topic, OutboundFrame frame, StateVersion version) {
    boolean[] written = {false};
    newest.compute(topic, (t, last) -> {
      written[0] = peer.writeState(topic, frame, version);
      return last;
    });
    return written[0];
  }

  /** The topic has no subscriber left on this node: its order starts again with the next one. */
  void forget(String topic) {
    newest.remove(topic);
  }
}
