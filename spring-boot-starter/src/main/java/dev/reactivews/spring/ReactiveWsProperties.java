package dev.reactivews.spring;

import dev.reactivews.WsConfig;
import dev.reactivews.state.StateKind;
import dev.reactivews.state.StateTopic;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code ws:} block of {@code application.yml}: nuxt-ws's {@code nuxt.config} {@code ws}
 * block, plus limits and storage. The route, topics and limits default to {@link
 * WsConfig#defaultSettings()}.
 */
@ConfigurationProperties("ws")
public class ReactiveWsProperties {
  private static final WsConfig DEFAULTS = WsConfig.defaultSettings();

  /** The WebSocket path. */
  private String route = DEFAULTS.route();
  private final Topics topics = new Topics();
  /** Subprotocols the server accepts, in its order of preference; none by default. */
  private List<String> subprotocols = new ArrayList<>();
  /**
   * Origins besides the server's own allowed to open a WebSocket from a browser (exact origins,
   * patterns such as {@code https://*.example.com}, or {@code *} for any); empty allows the
   * server's own origin only. A handshake without {@code Origin} (not from a browser) passes.
   */
  private List<String> allowedOrigins = new ArrayList<>();
  /**
   * Handshake headers a peer's request keeps after the upgrade hook (names ignoring case;
   * {@code Cookie} keeps the cookies); the hook itself sees every header. None by default.
   */
  private List<String> keptHeaders = new ArrayList<>();
  /** How long stopping waits for the peers to close, then again for their close hooks. */
  private Duration shutdownTimeout = Duration.ofSeconds(5);
  /**
   * How often the node compares the versions of the state topics it holds with the store's, to
   * catch up a change the backplane lost; 0 for never.
   */
  private Duration stateCheckInterval = Duration.ofSeconds(10);
  private final Limits limits = new Limits();
  private final Storage storage = new Storage();

  public String getRoute() {
    return route;
  }

  public void setRoute(String route) {
    this.route = route;
  }

  public Topics getTopics() {
    return topics;
  }

  public List<String> getSubprotocols() {
    return subprotocols;
  }

  public void setSubprotocols(List<String> subprotocols) {
    this.subprotocols = subprotocols;
  }

  public List<String> getAllowedOrigins() {
    return allowedOrigins;
  }

  public void setAllowedOrigins(List<String> allowedOrigins) {
    this.allowedOrigins = allowedOrigins;
  }

  public List<String> getKeptHeaders() {
    return keptHeaders;
  }

  public void setKeptHeaders(List<String> keptHeaders) {
    this.keptHeaders = keptHeaders;
  }

  public Duration getShutdownTimeout() {
    return shutdownTimeout;
  }

  public void setShutdownTimeout(Duration shutdownTimeout) {
    this.shutdownTimeout = shutdownTimeout;
  }

  public Duration getStateCheckInterval() {
    return stateCheckInterval;
  }

  public void setStateCheckInterval(Duration stateCheckInterval) {
    this.stateCheckInterval = stateCheckInterval;
  }

  public Limits getLimits() {
    return limits;
  }

  public Storage getStorage() {
    return storage;
  }

  /** The core config these properties describe; throws if a value is out of range. */
  public WsConfig toWsConfig() {
    return WsConfig.builder()
        .route(route)
        .defaults(topics.defaults.toArray(String[]::new))
        .internals(topics.internals.toArray(String[]::new))
        .states(topics.states.stream().map(State::toStateTopic).toArray(StateTopic[]::new))
        .relays(topics.relays.toArray(String[]::new))
        .subprotocols(subprotocols.toArray(String[]::new))
        .maxMessageBytes(limits.maxMessageBytes)
        .maxJsonDepth(limits.maxJsonDepth)
        .outboundBufferBytes(limits.outboundBufferBytes)
        .idleTimeout(limits.idleTimeout)
        .maxMessagesPerSecond(limits.maxMessagesPerSecond)
        .maxQueuedMessages(limits.maxQueuedMessages)
        .maxConnections(limits.maxConnections)
        .maxConnectionsPerAddress(limits.maxConnectionsPerAddress)
        .maxTopicsPerPeer(limits.maxTopicsPerPeer)
        .allowedOrigins(allowedOrigins.toArray(String[]::new))
        .keptHeaders(keptHeaders.toArray(String[]::new))
        .shutdownTimeout(shutdownTimeout)
        .stateCheckInterval(stateCheckInterval)
        .build();
  }

  /** The nuxt-ws module's {@code topics: { defaults, internals }}. */
  public static class Topics {
    /** Topics every peer is subscribed to on open and cannot leave. */
    private List<String> defaults = new ArrayList<>();
    /** Topics every peer is subscribed to on open and may only listen to: only the server publishes. */
    private List<String> internals = new ArrayList<>();
    /** Topics whose state the framework keeps, versions and sends: {@code - { topic: chat, kind: list, max-items: 500 }}. */
    private List<State> states = new ArrayList<>();
    /**
     * Topics a client's publish goes to every subscriber of with no message hook: names, or
     * prefixes ending in {@code *}; no state topic, no internal topic.
     */
    private List<String> relays = new ArrayList<>();

    public List<String> getDefaults() {
      return defaults;
    }

    public void setDefaults(List<String> defaults) {
      this.defaults = defaults;
    }

    public List<String> getInternals() {
      return internals;
    }

    public void setInternals(List<String> internals) {
      this.internals = internals;
    }

    public List<State> getStates() {
      return states;
    }

    public void setStates(List<State> states) {
      this.states = states;
    }

    public List<String> getRelays() {
      return relays;
    }

    public void setRelays(List<String> relays) {
      this.relays = relays;
    }
  }

  /** One state topic of {@code ws.topics.states}. */
  public static class State {
    /** The topic's name, or a prefix ending in {@code *} ({@code room:*}) for every topic that starts with it. */
    private @Nullable String topic;
    /** list (a JSON array), map (a JSON object) or value (any JSON). */
    private StateKind kind = StateKind.VALUE;
    /** A list's cap: an append past it drops the oldest entries. 0 for none. */
    private int maxItems;

    public @Nullable String getTopic() {
      return topic;
    }

    public void setTopic(@Nullable String topic) {
      this.topic = topic;
    }

    public StateKind getKind() {
      return kind;
    }

    public void setKind(StateKind kind) {
      this.kind = kind;
    }

    public int getMaxItems() {
      return maxItems;
    }

    public void setMaxItems(int maxItems) {
      this.maxItems = maxItems;
    }

    StateTopic toStateTopic() {
      if (topic == null || topic.isBlank()) {
        throw new IllegalArgumentException("every entry of ws.topics.states needs a topic");
      }
      StateTopic declared = switch (kind) {
        case LIST -> StateTopic.list(topic);
        case MAP -> StateTopic.map(topic);
        case VALUE -> StateTopic.value(topic);
      };
      return maxItems == 0 ? declared : declared.maxItems(maxItems);
    }
  }

  /** What keeps one peer from hurting the others. */
  public static class Limits {
    /** Largest message a peer may send, in bytes; larger ones close it with 1009. */
    private int maxMessageBytes = DEFAULTS.maxMessageBytes();
    /** Deepest JSON nesting a message may have; deeper ones are answered with an error. */
    private int maxJsonDepth = DEFAULTS.maxJsonDepth();
    /**
     * Bytes that may wait for a peer to read them; past it the peer is closed with 4008. On
     * Tomcat, which does not tell how much of a message the socket took: once its sends also
     * stall for 500 ms, or at 64 times this.
     */
    private int outboundBufferBytes = DEFAULTS.outboundBufferBytes();
    /** A silent peer is pinged at half this time and closed with 1001 at all of it. */
    private Duration idleTimeout = DEFAULTS.idleTimeout();
    /** Messages a peer may send per second; past it the peer is closed with 4029. */
    private int maxMessagesPerSecond = DEFAULTS.maxMessagesPerSecond();
    /** Messages of one peer that may wait for the app; past it the peer is closed with 4029. */
    private int maxQueuedMessages = DEFAULTS.maxQueuedMessages();
    /** Peers open at once; past it a handshake is refused with HTTP 503. 0 for no limit. */
    private int maxConnections = DEFAULTS.maxConnections();
    /** Peers one client address may have open at once; past it a handshake is refused with HTTP 429. 0 for no limit. */
    private int maxConnectionsPerAddress = DEFAULTS.maxConnectionsPerAddress();
    /** Topics one peer may be subscribed to; a subscribe past it gets an error frame. */
    private int maxTopicsPerPeer = DEFAULTS.maxTopicsPerPeer();

    public int getMaxMessageBytes() {
      return maxMessageBytes;
    }

    public void setMaxMessageBytes(int maxMessageBytes) {
      this.maxMessageBytes = maxMessageBytes;
    }

    public int getMaxJsonDepth() {
      return maxJsonDepth;
    }

    public void setMaxJsonDepth(int maxJsonDepth) {
      this.maxJsonDepth = maxJsonDepth;
    }

    public int getOutboundBufferBytes() {
      return outboundBufferBytes;
    }

    public void setOutboundBufferBytes(int outboundBufferBytes) {
      this.outboundBufferBytes = outboundBufferBytes;
    }

    public Duration getIdleTimeout() {
      return idleTimeout;
    }

    public void setIdleTimeout(Duration idleTimeout) {
      this.idleTimeout = idleTimeout;
    }

    public int getMaxMessagesPerSecond() {
      return maxMessagesPerSecond;
    }

    public void setMaxMessagesPerSecond(int maxMessagesPerSecond) {
      this.maxMessagesPerSecond = maxMessagesPerSecond;
    }

    public int getMaxQueuedMessages() {
      return maxQueuedMessages;
    }

    public void setMaxQueuedMessages(int maxQueuedMessages) {
      this.maxQueuedMessages = maxQueuedMessages;
    }

    public int getMaxConnections() {
      return maxConnections;
    }

    public void setMaxConnections(int maxConnections) {
      this.maxConnections = maxConnections;
    }

    public int getMaxConnectionsPerAddress() {
      return maxConnectionsPerAddress;
    }

    public void setMaxConnectionsPerAddress(int maxConnectionsPerAddress) {
      this.maxConnectionsPerAddress = maxConnectionsPerAddress;
    }

    public int getMaxTopicsPerPeer() {
      return maxTopicsPerPeer;
    }

    public void setMaxTopicsPerPeer(int maxTopicsPerPeer) {
      this.maxTopicsPerPeer = maxTopicsPerPeer;
    }
  }

  /** The nuxt-ws module's {@code useStorage('ws')}: where the app's key-value data lives. */
  public static class Storage {
    /** memory (the default, lost on restart), fs (files under {@code dir}) or redis (at {@code redis.url}). */
    private Driver driver = Driver.MEMORY;
    /** The namespace of the injected {@link dev.reactivews.storage.Storage}. */
    private String namespace = "ws";
    /** The folder of the fs driver. */
    private @Nullable Path dir;
    private final Redis redis = new Redis();

    public Driver getDriver() {
      return driver;
    }

    public void setDriver(Driver driver) {
      this.driver = driver;
    }

    public String getNamespace() {
      return namespace;
    }

    public void setNamespace(String namespace) {
      this.namespace = namespace;
    }

    public @Nullable Path getDir() {
      return dir;
    }

    public void setDir(@Nullable Path dir) {
      this.dir = dir;
    }

    public Redis getRedis() {
      return redis;
    }
  }

  /** The storage drivers. */
  public enum Driver {
    MEMORY,
    FS,
    REDIS
  }

  /**
   * The redis driver's Redis; it also carries publishes and peer counts between the nodes of a
   * cluster. Needs {@code reactive-ws-redis} on the class path.
   */
  public static class Redis {
    /** A Redis URI such as {@code redis://localhost:6379}. */
    private @Nullable String url;
    /** Prefix of every key and channel, so that several apps can share one Redis. */
    private @Nullable String keyPrefix;
    /** How long a node that stopped without leaving keeps counting in the peer count. */
    private @Nullable Duration presenceTtl;
    /** Bytes of publishes that may wait for Redis to take them; past it a publish fails. */
    private @Nullable Long maxPendingPublishBytes;
    /** How often the node pings Redis on both of its connections. */
    private @Nullable Duration healthCheckInterval;

    public @Nullable String getUrl() {
      return url;
    }

    public void setUrl(@Nullable String url) {
      this.url = url;
    }

    public @Nullable String getKeyPrefix() {
      return keyPrefix;
    }

    public void setKeyPrefix(@Nullable String keyPrefix) {
      this.keyPrefix = keyPrefix;
    }

    public @Nullable Duration getPresenceTtl() {
      return presenceTtl;
    }

    public void setPresenceTtl(@Nullable Duration presenceTtl) {
      this.presenceTtl = presenceTtl;
    }

    public @Nullable Long getMaxPendingPublishBytes() {
      return maxPendingPublishBytes;
    }

    public void setMaxPendingPublishBytes(@Nullable Long maxPendingPublishBytes) {
      this.maxPendingPublishBytes = maxPendingPublishBytes;
    }

    public @Nullable Duration getHealthCheckInterval() {
      return healthCheckInterval;
    }

    public void setHealthCheckInterval(@Nullable Duration healthCheckInterval) {
      this.healthCheckInterval = healthCheckInterval;
    }
  }
}
