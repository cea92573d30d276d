package dev.reactivews.internal;

import java.util.Collections;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Which peers listen to which topic. A topic exists only while it has a subscriber. */
final class TopicRegistry {
  private final ConcurrentMap<String, Set<RealPeer>> subscribers = new ConcurrentHashMap<>();

  void subscribe(String topic, RealPeer peer) {
    subscribers.compute(topic, (t, peers) -> {
      Set<RealPeer> result = peers != null ? peers : ConcurrentHashMap.newKeySet();
      result.add(peer);
      return result;
    });
  }

  void unsubscribe(String topic, RealPeer peer) {
    subscribers.computeIfPresent(topic, (t, peers) -> {
      peers.remove(peer);
      return peers.isEmpty() ? null : peers;
    });
  }

  /** The live set of subscribers; empty if the topic has none. */
  Set<RealPeer> subscribers(String topic) {
    return subscribers.getOrDefault(topic, Collections.emptySet());
  }
}
