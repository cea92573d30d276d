package dev.reactivews.client.internal;

import dev.reactivews.TopicAction;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The topics a client wants, and the server's rules about them: internal topics are only listened
 * to, default ones need no subscribe. The rules come from the app or from the server's config.
 * Not thread-safe: the {@link Lifecycle} calls it under its lock.
 */
final class TopicRules {
  private static final Logger LOG = LoggerFactory.getLogger(TopicRules.class);

  private final ClientOptions options;
  private final Protocol protocol;
  private final String client;
  /** The topics this client wants, in the order they were added. */
  private final Set<String> wanted = new LinkedHashSet<>();
  /** Null until the server's config was loaded or turned out to be missing. */
  private ServerTopics serverTopics;

  TopicRules(ClientOptions options, Protocol protocol, String client) {
    this.options = options;
    this.protocol = protocol;
    this.client = client;
    this.wanted.addAll(options.topics());
  }

  Set<String> wanted() {
    return Collections.unmodifiableSet(new LinkedHashSet<>(wanted));
  }

  /** Records a subscribe or an unsubscribe: the next open subscribes exactly the topics wanted then. */
  void want(TopicAction type, String topic) {
    if (type == TopicAction.SUBSCRIBE) {
      wanted.add(topic);
    } else {
      wanted.remove(topic);
    }
  }

  /** Whether the app gave no rules and the server's are not known yet. */
  boolean needsConfig() {
    return options.internals() == null && serverTopics == null;
  }

  void learned(ServerTopics loaded) {
    serverTopics = loaded;
  }

  boolean isInternal(String topic) {
    return internals().contains(topic);
  }

  /**
   * The subscriptions an open sends first. Before the first open the internal topics may not have
   * been known: the topics and buffered operations on them are dropped now, and the heartbeats of
   * an earlier connection go too.
   */
  List<Outbound> opened(Outbox outbox) {
    if (needsConfig()) {
      LOG.warn("{}: open without the server's config ({} could not be loaded): internal topics are not refused here",
          client, options.configUrl());
    }
    Set<String> internals = internals();
    wanted.removeIf(topic -> {
      if (internals.contains(topic)) {
        LOG.warn("{}: not subscribing to topic '{}': it is internal, the server subscribes every client to it", client, topic);
        return true;
      }
      return false;
    });
    outbox.removeIf(message -> {
      if (message.heartbeat()) {
        return true;
      }
      Protocol.Operation operation = message.operation();
      if (operation != null && internals.contains(operation.topic())) {
        LOG.warn("{}: dropped a buffered {} of topic '{}': it is internal, clients may only listen to it",
            client, Protocol.wire(operation.type()), operation.topic());
        return true;
      }
      return false;
    });
    Set<String> defaults = defaults();
    List<Outbound> subscriptions = new ArrayList<>();
    for (String topic : wanted) {
      if (!defaults.contains(topic)) {
        subscriptions.add(Outbound.operation(protocol.encode(TopicAction.SUBSCRIBE, topic, null), TopicAction.SUBSCRIBE, topic));
      }
    }
    return subscriptions;
  }

  private Set<String> internals() {
    if (options.internals() != null) {
      return options.internals();
    }
    return serverTopics != null ? serverTopics.internals() : Set.of();
  }

  private Set<String> defaults() {
    if (options.defaults() != null) {
      return options.defaults();
    }
    return serverTopics != null ? serverTopics.defaults() : Set.of();
  }
}
