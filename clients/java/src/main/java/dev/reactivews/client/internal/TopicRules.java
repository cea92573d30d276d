package dev.reactivews.client.internal;

import dev.reactivews.TopicAction;
import dev.reactivews.client.HeldVersion;
import dev.reactivews.client.States;
import java.net.URI;
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
 * With deltas, it also says which versions the client holds: on each subscribe, and for the
 * default and internal topics, which no subscribe names, on the handshake URL. Not thread-safe:
 * the {@link Lifecycle} calls it under its lock.
 */
final class TopicRules {
  private static final Logger LOG = LoggerFactory.getLogger(TopicRules.class);
  /** The query parameter that asks for patches, and its value: protocol 1. */
  private static final String DELTAS_PARAMETER = "rws";
  /** The query parameter that names a held version of a default or internal topic, {@code <epoch>.<v>.<topic>}. */
  private static final String SINCE_PARAMETER = "rws.since";
  /** The longest handshake URL the versions held may make, in characters; entries past it are left out. */
  static final int MAX_URL_LENGTH = 2048;

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
   * been known: the topics and buffered operations on them are dropped now, and the heartbeats and
   * resyncs of an earlier connection go too.
   */
  List<Outbound> opened(Outbox outbox, States states) {
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
      if (message.connectionOnly()) {
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
        subscriptions.add(subscription(topic, states));
      }
    }
    return subscriptions;
  }

  /** The subscribe of a topic; with deltas it carries the version held, for the server to answer with what changed since. */
  Outbound subscription(String topic, States states) {
    HeldVersion held = options.deltas() ? states.version(topic) : null;
    return Outbound.operation(protocol.subscribe(topic, held), TopicAction.SUBSCRIBE, topic);
  }

  /**
   * The URL of the next handshake. With deltas: {@code rws=1}, then one {@code rws.since} per
   * default or internal topic held at a version, left out once the URL would pass {@link
   * #MAX_URL_LENGTH} (the server then sends that topic's whole state).
   */
  URI handshakeUrl(States states) {
    if (!options.deltas()) {
      return options.url();
    }
    StringBuilder url = new StringBuilder(options.url().toString()).append(options.url().getRawQuery() == null ? '?' : '&')
        .append(Protocol.queryParameter(DELTAS_PARAMETER, "1"));
    Set<String> spoken = new LinkedHashSet<>(defaults());
    spoken.addAll(internals());
    for (String topic : spoken) {
      HeldVersion held = states.version(topic);
      if (held == null) {
        continue;
      }
      String since = "&" + Protocol.queryParameter(SINCE_PARAMETER, held.epoch() + "." + held.number() + "." + topic);
      if (url.length() + since.length() <= MAX_URL_LENGTH) {
        url.append(since);
      } else {
        LOG.debug("{}: left the version held of topic '{}' off the URL, which would pass {} characters",
            client, topic, MAX_URL_LENGTH);
      }
    }
    return URI.create(url.toString());
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
