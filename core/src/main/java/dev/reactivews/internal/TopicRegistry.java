package dev.reactivews.internal;

import java.util.Collections;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Which peers listen to which topic. A topic exists only while it has a subscriber. */
final class TopicRegistry {
  /** Told when a topic gets its first subscriber and loses its last, while the topic is locked. */
  interface Interest {
    void gained(String topic);

    void lost(String topic);
  }

  private final ConcurrentMap<String, Set<RealPeer>> subscribers = new ConcurrentHashMap<>();
  private final Interest interest;

  TopicRegistry(Interest interest) {
    this.interest = interest;
  }

  void subscribe(String topic, RealPeer peer) {
    subscribers.compute(topic, (t, peers) -> {
      Set<RealPeer> result = peers;
      if (result == null) {
        result = ConcurrentHashMap.newKeySet();
        interest.gained(t);
      }
      result.add(peer);
      return result;
    });
  }

  void unsubscribe(String topic, RealPeer peer) {
    subscribers.computeIfPresent(topic, (t, peers) -> {
      peers.remove(peer);
      if (peers.isEmpty()) {
        interest.lost(t);
        return null;
      }
      return peers;
    });
  }

  /** How many topics have subscribers. */
  int size() {
    return subscribers.size();
  }

  /** The live set of subscribers; empty if the topic has none. */
  Set<RealPeer> subscribers(String topic) {
    return subscribers.getOrDefault(topic, Collections.emptySet());
  }
}
