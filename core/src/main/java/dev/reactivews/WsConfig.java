package dev.reactivews;

import dev.reactivews.internal.Durations;
import dev.reactivews.internal.OriginPolicy;
import dev.reactivews.internal.TopicPatterns;
import dev.reactivews.state.StateTopic;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The WebSocket configuration: nuxt-ws's {@code ws: { route, topics: { defaults, internals } }}
 * plus the limits that keep one peer from hurting the others. Immutable; make one with {@link
 * #builder()}, derive one with {@link #toBuilder()}.
 *
 * <p>Every setting can also come from properties ({@code ws.route}, {@code ws.topics.defaults},
 * {@code ws.limits.max-message-bytes}, ...) or from the environment ({@code WS_ROUTE}, {@code
 * WS_TOPICS_DEFAULTS}, {@code WS_LIMITS_MAX_MESSAGE_BYTES}, ...): see {@link Builder#load}.
 *
 * <p>(Longer than the other classes here on purpose: each setting is a field, a documented
 * getter, a builder method, a property key and a check, and they stay in one file so that a
 * setting reads in one place.)
 */
public final class WsConfig {
  private final String route;
  private final Set<String> defaultTopics;
  private final Set<String> internalTopics;
  private final List<StateTopic> stateTopics;
  private final Set<String> relayTopics;
  private final Set<String> subprotocols;
  private final int maxMessageBytes;
  private final int maxJsonDepth;
  private final int outboundBufferBytes;
  private final Duration idleTimeout;
  private final int maxMessagesPerSecond;
  private final int maxQueuedMessages;
  private final int maxConnections;
  private final int maxConnectionsPerAddress;
  private final int maxTopicsPerPeer;
  private final Set<String> allowedOrigins;
  private final Set<String> keptHeaders;
  private final Duration shutdownTimeout;
  private final Duration stateCheckInterval;

  private WsConfig(Builder b) {
    this.route = b.route;
    this.defaultTopics = Collections.unmodifiableSet(new LinkedHashSet<>(b.defaultTopics));
    this.internalTopics = Collections.unmodifiableSet(new LinkedHashSet<>(b.internalTopics));
    this.stateTopics = List.copyOf(b.stateTopics);
    this.relayTopics = Collections.unmodifiableSet(new LinkedHashSet<>(b.relayTopics));
    this.subprotocols = Collections.unmodifiableSet(new LinkedHashSet<>(b.subprotocols));
    this.maxMessageBytes = b.maxMessageBytes;
    this.maxJsonDepth = b.maxJsonDepth;
    this.outboundBufferBytes = b.outboundBufferBytes;
    this.idleTimeout = b.idleTimeout;
    this.maxMessagesPerSecond = b.maxMessagesPerSecond;
    this.maxQueuedMessages = b.maxQueuedMessages;
    this.maxConnections = b.maxConnections;
    this.maxConnectionsPerAddress = b.maxConnectionsPerAddress;
    this.maxTopicsPerPeer = b.maxTopicsPerPeer;
    this.allowedOrigins = Collections.unmodifiableSet(new LinkedHashSet<>(b.allowedOrigins));
    this.keptHeaders = Collections.unmodifiableSet(new LinkedHashSet<>(b.keptHeaders));
    this.shutdownTimeout = b.shutdownTimeout;
    this.stateCheckInterval = b.stateCheckInterval;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The defaults: route {@code /_ws}, no topics, the documented limits. */
  public static WsConfig defaultSettings() {
    return builder().build();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The WebSocket path. Default {@code /_ws}. */
  public String route() {
    return route;
  }

  /** Topics every peer is subscribed to on open and may not unsubscribe from. */
  public Set<String> defaultTopics() {
    return defaultTopics;
  }

  /** Topics every peer is subscribed to on open and may only listen to. */
  public Set<String> internalTopics() {
    return internalTopics;
  }

  /**
   * The topics whose state the framework keeps, versions and sends: declared by name, or by a
   * prefix ending in {@code *}, each matching topics no other declaration matches. None by
   * default. A subscriber of one gets its state when it subscribes (every peer at open for a
   * default or internal one), then every change; {@link dev.reactivews.state.WsStates} changes
   * them.
   */
  public List<StateTopic> stateTopics() {
    return stateTopics;
  }

  /** The declaration that matches the topic, or null if it is not a state topic. */
  public @Nullable StateTopic stateTopic(String topic) {
    Objects.requireNonNull(topic, "topic == null");
    for (StateTopic declaration : stateTopics) {
      if (declaration.matches(topic)) {
        return declaration;
      }
    }
    return null;
  }

  /**
   * The topics a client's {@code publish} goes to every subscriber of, as {@code
   * {"topic":T,"payload":P}}, with no message hook (the sender too, when it is subscribed):
   * declared by name, or by a prefix ending in {@code *}. None by default. The authorize hook
   * still decides who may publish; a relayed publish that needs no hook of the app is handled on
   * the connection's I/O thread, so it reaches the subscribers with no hand-off. No state topic
   * is relayed: its state changes only through {@link dev.reactivews.state.WsStates}.
   */
  public Set<String> relayTopics() {
    return relayTopics;
  }

  /** Whether a client's publish to the topic is relayed: see {@link #relayTopics()}. */
  public boolean isRelayed(String topic) {
    for (String relayed : relayTopics) {
      if (TopicPatterns.matches(relayed, topic)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The WebSocket subprotocols the server accepts, in order of preference; it answers the first
   * one a client offers. {@code *} accepts whatever the client offers first. None by default:
   * a client that offers some gets none, as RFC 6455 allows (browsers then close the socket).
   */
  public Set<String> subprotocols() {
    return subprotocols;
  }

  /** The largest message a peer may send, after reassembly and inflation. Default 64 KiB; larger closes with 1009. */
  public int maxMessageBytes() {
    return maxMessageBytes;
  }

  /** The deepest JSON nesting accepted; deeper messages get an error frame. Default 32. */
  public int maxJsonDepth() {
    return maxJsonDepth;
  }

  /**
   * Bytes that may wait for one peer to read them: a message that finds more still waiting
   * closes the peer with 4008 instead. A single larger message still goes to a peer that keeps
   * up. Default 1 MiB.
   */
  public int outboundBufferBytes() {
    return outboundBufferBytes;
  }

  /**
   * How long a silent peer may stay connected: after half of it the server sends a ping, after
   * all of it without any answer it closes the connection with 1001. Default 60 s.
   */
  public Duration idleTimeout() {
    return idleTimeout;
  }

  /**
   * Messages a peer may send per second, in bursts of as many; more closes with 4029. 0 = no
   * limit. Default 200. On the embedded server the peer's WebSocket pings count too.
   */
  public int maxMessagesPerSecond() {
    return maxMessagesPerSecond;
  }

  /** Messages of one peer that may wait for the app's hooks; more closes with 4029. Default 256. */
  public int maxQueuedMessages() {
    return maxQueuedMessages;
  }

  /**
   * Peers this server may have open at once; a handshake past it is refused with HTTP 503
   * before the app's upgrade hook runs, and no socket opens. 0 = no limit. Default 10,000: every
   * peer holds buffers and a file descriptor, and a server out of either fails everyone,
   * HTTP routes included, while a 503 tells a client to come back later.
   */
  public int maxConnections() {
    return maxConnections;
  }

  /**
   * Peers one client address may have open at once; a handshake past it is refused with HTTP
   * 429 before the app's upgrade hook runs. 0 = no limit, the default: behind a proxy or a
   * carrier's NAT many users share one address.
   */
  public int maxConnectionsPerAddress() {
    return maxConnectionsPerAddress;
  }

  /**
   * Topics one peer may be subscribed to at once, default and internal topics included; a
   * client's subscribe past it gets an error frame {@code too_many_topics} and subscribes
   * nothing. The app's own {@link Peer#subscribe} is not capped, but what it subscribes counts.
   * At least the number of default and internal topics. Default 128.
   */
  public int maxTopicsPerPeer() {
    return maxTopicsPerPeer;
  }

  /**
   * Origins besides the server's own that may open a WebSocket from a browser: exact origins
   * ({@code https://chat.example.com}, the port as written or the scheme's default) or every
   * subdomain of a domain ({@code https://*.example.com}, not {@code example.com} itself);
   * {@code *} allows every origin, {@code Origin: null} included. A handshake whose {@code
   * Origin} is neither the server's own (the one its {@code Host} header names) nor listed is
   * refused with HTTP 403 before the upgrade hook runs; one without {@code Origin} (not from a
   * browser) passes. None by default: same origin only.
   */
  public Set<String> allowedOrigins() {
    return allowedOrigins;
  }

  /**
   * Handshake headers a peer's {@link Peer#request()} keeps after the upgrade hook has returned,
   * names ignoring case; {@code Cookie} keeps the cookies. The hook itself sees every header.
   * None by default: each peer would otherwise hold all its browser sent for as long as it lives.
   */
  public Set<String> keptHeaders() {
    return keptHeaders;
  }

  /**
   * How long stopping the server may take, in all: it waits for its peers to close (then cuts
   * those left), then for the hooks already queued, their close hooks included, within this one
   * deadline. Default 5 s.
   */
  public Duration shutdownTimeout() {
    return shutdownTimeout;
  }

  /**
   * How often this node compares the versions of the state topics it holds with the store's, so
   * that a change it never heard of (a message the backplane lost, the last one before a quiet
   * spell) is caught up even when no later change shows the gap; {@link Duration#ZERO} for never.
   * Default 10 s. A store that says it may have lost changes (Redis after a reconnect) is
   * compared with at once, whatever this says.
   */
  public Duration stateCheckInterval() {
    return stateCheckInterval;
  }

  @Override
  public String toString() {
    return "WsConfig{route=" + route + ", defaults=" + defaultTopics + ", internals=" + internalTopics + ", states=" + stateTopics + ", relays=" + relayTopics + ", subprotocols=" + subprotocols
        + ", maxMessageBytes=" + maxMessageBytes + ", maxJsonDepth=" + maxJsonDepth
        + ", outboundBufferBytes=" + outboundBufferBytes + ", idleTimeout=" + idleTimeout
        + ", maxMessagesPerSecond=" + maxMessagesPerSecond + ", maxQueuedMessages=" + maxQueuedMessages
        + ", maxConnections=" + maxConnections + ", maxConnectionsPerAddress=" + maxConnectionsPerAddress
        + ", maxTopicsPerPeer=" + maxTopicsPerPeer + ", allowedOrigins=" + allowedOrigins
        + ", keptHeaders=" + keptHeaders + ", shutdownTimeout=" + shutdownTimeout
        + ", stateCheckInterval=" + stateCheckInterval + "}";
  }

  /** Collects settings; {@link #build()} checks them. */
  public static final class Builder {
    private String route = "/_ws";
    private Set<String> defaultTopics = new LinkedHashSet<>();
    private Set<String> internalTopics = new LinkedHashSet<>();
    private List<StateTopic> stateTopics = List.of();
    private Set<String> relayTopics = new LinkedHashSet<>();
    private Set<String> subprotocols = new LinkedHashSet<>();
    private int maxMessageBytes = 64 * 1024;
    private int maxJsonDepth = 32;
    private int outboundBufferBytes = 1024 * 1024;
    private Duration idleTimeout = Duration.ofSeconds(60);
    private int maxMessagesPerSecond = 200;
    private int maxQueuedMessages = 256;
    private int maxConnections = 10_000;
    private int maxConnectionsPerAddress = 0;
    private int maxTopicsPerPeer = 128;
    private Set<String> allowedOrigins = new LinkedHashSet<>();
    private Set<String> keptHeaders = new LinkedHashSet<>();
    private Duration shutdownTimeout = Duration.ofSeconds(5);
    private Duration stateCheckInterval = Duration.ofSeconds(10);

    private Builder() {}

    private Builder(WsConfig config) {
      route = config.route;
      defaultTopics = new LinkedHashSet<>(config.defaultTopics);
      internalTopics = new LinkedHashSet<>(config.internalTopics);
      stateTopics = config.stateTopics;
      relayTopics = new LinkedHashSet<>(config.relayTopics);
      subprotocols = new LinkedHashSet<>(config.subprotocols);
      maxMessageBytes = config.maxMessageBytes;
      maxJsonDepth = config.maxJsonDepth;
      outboundBufferBytes = config.outboundBufferBytes;
      idleTimeout = config.idleTimeout;
      maxMessagesPerSecond = config.maxMessagesPerSecond;
      maxQueuedMessages = config.maxQueuedMessages;
      maxConnections = config.maxConnections;
      maxConnectionsPerAddress = config.maxConnectionsPerAddress;
      maxTopicsPerPeer = config.maxTopicsPerPeer;
      allowedOrigins = new LinkedHashSet<>(config.allowedOrigins);
      keptHeaders = new LinkedHashSet<>(config.keptHeaders);
      shutdownTimeout = config.shutdownTimeout;
      stateCheckInterval = config.stateCheckInterval;
    }

    public Builder route(String route) {
      this.route = Objects.requireNonNull(route, "route == null");
      return this;
    }

    /** Replaces the default topics. */
    public Builder defaults(String... topics) {
      this.defaultTopics = new LinkedHashSet<>(Arrays.asList(topics));
      return this;
    }

    /** Replaces the internal topics. */
    public Builder internals(String... topics) {
      this.internalTopics = new LinkedHashSet<>(Arrays.asList(topics));
      return this;
    }

    /**
     * Replaces the state topics: {@code states(StateTopic.list("chat").maxItems(500),
     * StateTopic.map("room:*"))}. See {@link WsConfig#stateTopics()}.
     */
    public Builder states(StateTopic... topics) {
      for (StateTopic topic : topics) {
        Objects.requireNonNull(topic, "state topic == null");
      }
      this.stateTopics = List.of(topics);
      return this;
    }

    /** Replaces the relayed topics: {@code relays("cursor:*")}. See {@link WsConfig#relayTopics()}. */
    public Builder relays(String... topics) {
      this.relayTopics = new LinkedHashSet<>(Arrays.asList(topics));
      return this;
    }

    /** Replaces the accepted subprotocols. */
    public Builder subprotocols(String... protocols) {
      this.subprotocols = new LinkedHashSet<>(Arrays.asList(protocols));
      return this;
    }

    public Builder maxMessageBytes(int bytes) {
      this.maxMessageBytes = bytes;
      return this;
    }

    public Builder maxJsonDepth(int depth) {
      this.maxJsonDepth = depth;
      return this;
    }

    public Builder outboundBufferBytes(int bytes) {
      this.outboundBufferBytes = bytes;
      return this;
    }

    public Builder idleTimeout(Duration timeout) {
      this.idleTimeout = Objects.requireNonNull(timeout, "timeout == null");
      return this;
    }

    public Builder maxMessagesPerSecond(int messages) {
      this.maxMessagesPerSecond = messages;
      return this;
    }

    public Builder maxQueuedMessages(int messages) {
      this.maxQueuedMessages = messages;
      return this;
    }

    /** 0 for no limit. */
    public Builder maxConnections(int connections) {
      this.maxConnections = connections;
      return this;
    }

    /** 0 for no limit. */
    public Builder maxConnectionsPerAddress(int connections) {
      this.maxConnectionsPerAddress = connections;
      return this;
    }

    public Builder maxTopicsPerPeer(int topics) {
      this.maxTopicsPerPeer = topics;
      return this;
    }

    /** Replaces the origins allowed besides the server's own; see {@link WsConfig#allowedOrigins()}. */
    public Builder allowedOrigins(String... origins) {
      this.allowedOrigins = new LinkedHashSet<>(Arrays.asList(origins));
      return this;
    }

    /** Replaces the headers a peer's request keeps after the upgrade; see {@link WsConfig#keptHeaders()}. */
    public Builder keptHeaders(String... names) {
      this.keptHeaders = new LinkedHashSet<>(Arrays.asList(names));
      return this;
    }

    public Builder shutdownTimeout(Duration timeout) {
      this.shutdownTimeout = Objects.requireNonNull(timeout, "timeout == null");
      return this;
    }

    /** See {@link WsConfig#stateCheckInterval()}; {@link Duration#ZERO} turns the check off. */
    public Builder stateCheckInterval(Duration interval) {
      this.stateCheckInterval = Objects.requireNonNull(interval, "interval == null");
      return this;
    }

    /**
     * Applies the {@code ws.*} keys present in the properties: {@code ws.route}, {@code
     * ws.topics.defaults}, {@code ws.topics.internals}, {@code ws.topics.relays} and {@code
     * ws.subprotocols} (comma-separated), {@code
     * ws.topics.states} (comma-separated {@code name:kind} entries, split at the last {@code :},
     * kind {@code list}, {@code map} or {@code value}; a bare name is a value: {@code
     * chat:list,room:*:map,settings}), {@code
     * ws.limits.max-message-bytes}, {@code ws.limits.max-json-depth}, {@code
     * ws.limits.outbound-buffer-bytes}, {@code ws.limits.idle-timeout} (ISO-8601 such as {@code
     * PT60S}, or {@code 60s}, {@code 500ms}, {@code 2m}), {@code
     * ws.limits.max-messages-per-second}, {@code ws.limits.max-queued-messages}, {@code
     * ws.limits.max-connections}, {@code ws.limits.max-connections-per-address}, {@code
     * ws.limits.max-topics-per-peer}, {@code ws.allowed-origins} and {@code ws.kept-headers}
     * (comma-separated), {@code ws.shutdown-timeout} and {@code ws.state-check-interval} (durations
     * as for the idle timeout).
     */
    public Builder load(Properties properties) {
      return load(properties::getProperty);
    }

    /**
     * Applies the settings present in an environment map, named as the property keys upper-cased
     * with {@code .} and {@code -} turned to {@code _}: {@code WS_ROUTE}, {@code
     * WS_LIMITS_IDLE_TIMEOUT}, ... Pass {@code System.getenv()}.
     */
    public Builder loadEnvironment(Map<String, String> environment) {
      return load(key -> environment.get(key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_')));
    }

    private Builder load(Function<String, @Nullable String> source) {
      apply(source, "ws.route", this::route);
      apply(source, "ws.topics.defaults", v -> defaults(list(v)));
      apply(source, "ws.topics.internals", v -> internals(list(v)));
      apply(source, "ws.topics.states", v -> states(stateTopics(v)));
      apply(source, "ws.topics.relays", v -> relays(list(v)));
      apply(source, "ws.subprotocols", v -> subprotocols(list(v)));
      apply(source, "ws.limits.max-message-bytes", v -> maxMessageBytes(number(v)));
      apply(source, "ws.limits.max-json-depth", v -> maxJsonDepth(number(v)));
      apply(source, "ws.limits.outbound-buffer-bytes", v -> outboundBufferBytes(number(v)));
      apply(source, "ws.limits.idle-timeout", v -> idleTimeout(Durations.parse(v)));
      apply(source, "ws.limits.max-messages-per-second", v -> maxMessagesPerSecond(number(v)));
      apply(source, "ws.limits.max-queued-messages", v -> maxQueuedMessages(number(v)));
      apply(source, "ws.limits.max-connections", v -> maxConnections(number(v)));
      apply(source, "ws.limits.max-connections-per-address", v -> maxConnectionsPerAddress(number(v)));
      apply(source, "ws.limits.max-topics-per-peer", v -> maxTopicsPerPeer(number(v)));
      apply(source, "ws.allowed-origins", v -> allowedOrigins(list(v)));
      apply(source, "ws.kept-headers", v -> keptHeaders(list(v)));
      apply(source, "ws.shutdown-timeout", v -> shutdownTimeout(Durations.parse(v)));
      apply(source, "ws.state-check-interval", v -> stateCheckInterval(Durations.parse(v)));
      return this;
    }

    private static void apply(Function<String, @Nullable String> source, String key, Setter setter) {
      String value = source.apply(key);
      if (value == null) {
        return;
      }
      try {
        setter.accept(value.trim());
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("Invalid value for " + key + ": '" + value + "'", e);
      }
    }

    private interface Setter {
      void accept(String value);
    }

    private static String[] list(String value) {
      return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toArray(String[]::new);
    }

    private static StateTopic[] stateTopics(String value) {
      return Arrays.stream(list(value)).map(Builder::stateTopic).toArray(StateTopic[]::new);
    }

    /** {@code name:kind}, split at the last {@code :}; a name without one is a value. */
    private static StateTopic stateTopic(String entry) {
      int colon = entry.lastIndexOf(':');
      if (colon < 0) {
        return StateTopic.value(entry);
      }
      String name = entry.substring(0, colon).trim();
      String kind = entry.substring(colon + 1).trim();
      return switch (kind.toLowerCase(Locale.ROOT)) {
        case "list" -> StateTopic.list(name);
        case "map" -> StateTopic.map(name);
        case "value" -> StateTopic.value(name);
        default -> throw new IllegalArgumentException("'" + entry + "' ends in '" + kind
            + "', not a kind: write name:list, name:map or name:value");
      };
    }

    private static int number(String value) {
      return Integer.parseInt(value);
    }

    /** Checks every setting and makes the config. */
    public WsConfig build() {
      if (!route.startsWith("/")) {
        throw new IllegalArgumentException("route must start with '/': " + route);
      }
      for (String topic : defaultTopics) {
        checkTopic(topic);
        if (internalTopics.contains(topic)) {
          throw new IllegalArgumentException("topic is both default and internal: " + topic);
        }
      }
      internalTopics.forEach(Builder::checkTopic);
      checkStateTopics(stateTopics);
      checkRelayTopics();
      for (String protocol : subprotocols) {
        if (protocol == null || protocol.isBlank() || protocol.contains(",")) {
          throw new IllegalArgumentException("not a subprotocol name: '" + protocol + "'");
        }
      }
      checkPositive(maxMessageBytes, "maxMessageBytes");
      checkPositive(maxJsonDepth, "maxJsonDepth");
      checkPositive(outboundBufferBytes, "outboundBufferBytes");
      checkPositive(maxQueuedMessages, "maxQueuedMessages");
      checkNotNegative(maxMessagesPerSecond, "maxMessagesPerSecond");
      checkNotNegative(maxConnections, "maxConnections");
      checkNotNegative(maxConnectionsPerAddress, "maxConnectionsPerAddress");
      checkPositive(maxTopicsPerPeer, "maxTopicsPerPeer");
      if (defaultTopics.size() + internalTopics.size() > maxTopicsPerPeer) {
        throw new IllegalArgumentException("maxTopicsPerPeer " + maxTopicsPerPeer
            + " is below the default and internal topics every peer is subscribed to: "
            + (defaultTopics.size() + internalTopics.size()));
      }
      for (String origin : allowedOrigins) {
        if (origin == null || origin.isBlank()) {
          throw new IllegalArgumentException("allowed origins must not be blank");
        }
      }
      OriginPolicy.check(allowedOrigins);
      for (String header : keptHeaders) {
        if (header == null || header.isBlank()) {
          throw new IllegalArgumentException("kept header names must not be blank");
        }
      }
      if (idleTimeout.isNegative() || idleTimeout.toMillis() < 2) {
        throw new IllegalArgumentException("idleTimeout must be at least 2 ms: " + idleTimeout);
      }
      if (shutdownTimeout.isNegative()) {
        throw new IllegalArgumentException("shutdownTimeout must not be negative: " + shutdownTimeout);
      }
      if (stateCheckInterval.isNegative()) {
        throw new IllegalArgumentException("stateCheckInterval must not be negative: " + stateCheckInterval);
      }
      return new WsConfig(this);
    }

    /** A relayed topic is neither internal (only the server publishes there) nor a state topic. */
    private void checkRelayTopics() {
      for (String relayed : relayTopics) {
        checkTopic(relayed);
        for (String internal : internalTopics) {
          if (TopicPatterns.overlap(relayed, internal)) {
            throw new IllegalArgumentException("relayed topic '" + relayed + "' matches internal topic '" + internal
                + "': clients may only listen to internal topics");
          }
        }
        for (StateTopic declaration : stateTopics) {
          if (TopicPatterns.overlap(relayed, declaration.topic())) {
            throw new IllegalArgumentException("relayed topic '" + relayed + "' matches state topic '"
                + declaration.topic() + "': a state topic changes through WsStates only");
          }
        }
      }
    }

    private static void checkTopic(String topic) {
      if (topic == null || topic.isBlank()) {
        throw new IllegalArgumentException("topic names must not be blank");
      }
    }

    /** Each name as other topics' names, and no topic matched by two declarations. */
    private static void checkStateTopics(List<StateTopic> declarations) {
      for (int i = 0; i < declarations.size(); i++) {
        StateTopic declaration = declarations.get(i);
        checkTopic(declaration.topic());
        for (StateTopic earlier : declarations.subList(0, i)) {
          if (TopicPatterns.overlap(earlier.topic(), declaration.topic())) {
            throw new IllegalArgumentException("state topics '" + earlier.topic() + "' and '" + declaration.topic()
                + "' both declare the same topics: a topic has one declaration");
          }
        }
      }
    }

    private static void checkPositive(int value, String name) {
      if (value <= 0) {
        throw new IllegalArgumentException(name + " must be > 0: " + value);
      }
    }

    private static void checkNotNegative(int value, String name) {
      if (value < 0) {
        throw new IllegalArgumentException(name + " must be >= 0: " + value);
      }
    }
  }
}
