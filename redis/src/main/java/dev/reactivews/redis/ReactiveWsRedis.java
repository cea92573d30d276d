package dev.reactivews.redis;

import dev.reactivews.cluster.Backplane;
import dev.reactivews.cluster.Presence;
import dev.reactivews.internal.Durations;
import dev.reactivews.redis.internal.RedisBackplane;
import dev.reactivews.redis.internal.RedisConnections;
import dev.reactivews.redis.internal.RedisPresence;
import dev.reactivews.redis.internal.RedisStorageDriver;
import dev.reactivews.storage.StorageDriver;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * One server node's link to Redis, for several nodes behind a load balancer that behave as one:
 * a {@link #storage()} driver every node shares, a pub/sub {@link #backplane()} that carries
 * publishes between nodes, and a {@link #presence()} that counts peers across them.
 *
 * <pre>{@code
 * ReactiveWsRedis redis = ReactiveWsRedis.connect("redis://localhost:6379");
 * ReactiveWs server = ReactiveWs.create(cfg -> cfg
 *         .storage(redis.storage())
 *         .backplane(redis.backplane())
 *         .presence(redis.presence())
 *         .closeOnStop(redis)
 *         .handler(handler))
 *     .start(3000);
 * }</pre>
 *
 * <h2>Connections and failures</h2>
 * Two connections (Lettuce): one for commands (storage, publishes, presence) and one that
 * listens. Both reconnect on their own, with a delay that doubles up to 2 s. While Redis is
 * unreachable, storage calls fail at once with {@link dev.reactivews.storage.StorageException}
 * (nothing is queued to be lost later), publishes reach this node's subscribers only, and the
 * peer count keeps the other nodes' last known peers. Once Redis is back the node listens to its
 * topics again and reports its peers at the next heartbeat, without a restart.
 *
 * <p>While Redis is stalled (reachable but not answering), publishes wait for it up to {@link
 * Builder#maxPendingPublishBytes}; past that a publish throws {@link
 * dev.reactivews.cluster.BackplaneOverloadedException} and reaches no one. A health ping every
 * {@link Builder#healthCheckInterval} notices a stall and a silent pub/sub connection; a lost
 * one reconnects and listens to every topic again. Each is logged.
 *
 * <p>One instance per server node; thread-safe. {@link #close()} after the server stopped
 * (or hand it to {@code ServerConfig.closeOnStop}).
 */
public final class ReactiveWsRedis implements AutoCloseable {
  private final RedisConnections connections;
  private final RedisStorageDriver storage;
  private final RedisBackplane backplane;
  private final RedisPresence presence;

  private ReactiveWsRedis(Builder builder) {
    this.connections = RedisConnections.open(builder.url, builder.keyPrefix, builder.healthCheckInterval);
    this.storage = new RedisStorageDriver(connections);
    this.backplane = new RedisBackplane(connections, builder.maxPendingPublishBytes);
    this.presence = new RedisPresence(connections, builder.presenceTtl);
  }

  /** Connects to the Redis at the URL ({@code redis://[:password@]host[:port][/db]}) with the defaults. */
  public static ReactiveWsRedis connect(String url) {
    return builder(url).connect();
  }

  /** Settings for a connection to the Redis at the URL. */
  public static Builder builder(String url) {
    return new Builder(url);
  }

  /**
   * A storage driver over this Redis: every node sees the same values, and {@code update} is
   * atomic across nodes. Its {@link StorageDriver#stateStore() stateStore()} keeps state topics
   * under {@code PREFIX:state:}, each change made and published by one Lua script.
   */
  public StorageDriver storage() {
    return storage;
  }

  /** This node's pub/sub backplane, for {@code ServerConfig.backplane}; one server per instance. */
  public Backplane backplane() {
    return backplane;
  }

  /** This node's presence, for {@code ServerConfig.presence}; one server per instance. */
  public Presence presence() {
    return presence;
  }

  /** A unique id of this node, as other nodes see it in Redis. */
  public String nodeId() {
    return connections.nodeId();
  }

  /** Closes the connections; the server using the backplane and presence should have stopped. */
  @Override
  public void close() {
    storage.stateStore().close();
    presence.close();
    backplane.close();
    connections.close();
  }

  /** Settings; {@link #connect()} checks them and connects. */
  public static final class Builder {
    private final String url;
    private String keyPrefix = "reactive-ws";
    private Duration presenceTtl = Duration.ofSeconds(15);
    private long maxPendingPublishBytes = 16L * 1024 * 1024;
    private Duration healthCheckInterval = Duration.ofSeconds(5);

    private Builder(String url) {
      this.url = Objects.requireNonNull(url, "url == null");
    }

    /**
     * Prefix of every key and channel this node uses: {@code PREFIX:kv:} for storage, {@code
     * PREFIX:state:} for state topics, {@code PREFIX:topic:} for topics, {@code PREFIX:presence*}
     * for the count. Default {@code
     * reactive-ws}; nodes of one cluster share it, separate clusters on one Redis differ.
     */
    public Builder keyPrefix(String prefix) {
      this.keyPrefix = Objects.requireNonNull(prefix, "prefix == null");
      return this;
    }

    /**
     * How long this node's peers stay counted after its last heartbeat (sent every third of
     * it). When a node dies without stopping, its peers leave the count of the others within
     * this time plus a third. Default 15 s, so at most 20 s.
     */
    public Builder presenceTtl(Duration ttl) {
      this.presenceTtl = Objects.requireNonNull(ttl, "ttl == null");
      return this;
    }

    /**
     * How many bytes of publishes may wait for Redis to take them (sent, not answered: Redis is
     * stalled or slow). A publish past it throws {@link
     * dev.reactivews.cluster.BackplaneOverloadedException}, reaches no node (this one neither),
     * and is logged at ERROR, at most once per 10 s. Default 16 MiB.
     */
    public Builder maxPendingPublishBytes(long bytes) {
      this.maxPendingPublishBytes = bytes;
      return this;
    }

    /**
     * How often both connections are pinged. A pub/sub connection that leaves a ping unanswered
     * for this long while Redis answers the other is dropped and reconnects, subscribing to
     * every topic again; a Redis that answers neither is logged as stalled. Default 5 s.
     */
    public Builder healthCheckInterval(Duration interval) {
      this.healthCheckInterval = Objects.requireNonNull(interval, "interval == null");
      return this;
    }

    /**
     * Applies {@code REDIS_KEY_PREFIX}, {@code REDIS_PRESENCE_TTL}, {@code
     * REDIS_HEALTH_CHECK_INTERVAL} (durations as {@code 15s}, {@code 1500ms}, {@code PT15S}) and
     * {@code REDIS_MAX_PENDING_PUBLISH_BYTES} when present. Pass {@code System.getenv()}.
     */
    public Builder loadEnvironment(Map<String, String> environment) {
      String prefix = environment.get("REDIS_KEY_PREFIX");
      if (prefix != null) {
        keyPrefix(prefix.trim());
      }
      String ttl = environment.get("REDIS_PRESENCE_TTL");
      if (ttl != null) {
        presenceTtl(duration("REDIS_PRESENCE_TTL", ttl));
      }
      String interval = environment.get("REDIS_HEALTH_CHECK_INTERVAL");
      if (interval != null) {
        healthCheckInterval(duration("REDIS_HEALTH_CHECK_INTERVAL", interval));
      }
      String pending = environment.get("REDIS_MAX_PENDING_PUBLISH_BYTES");
      if (pending != null) {
        try {
          maxPendingPublishBytes(Long.parseLong(pending.trim()));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("Invalid value for REDIS_MAX_PENDING_PUBLISH_BYTES: '" + pending + "'", e);
        }
      }
      return this;
    }

    private static Duration duration(String name, String value) {
      try {
        return Durations.parse(value);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("Invalid value for " + name + ": '" + value + "'", e);
      }
    }

    /**
     * Connects to Redis; throws {@link io.lettuce.core.RedisConnectionException} if it cannot be
     * reached now (later outages are survived, see the class doc).
     */
    public ReactiveWsRedis connect() {
      if (keyPrefix.isBlank()) {
        throw new IllegalArgumentException("keyPrefix must not be blank");
      }
      if (presenceTtl.toMillis() < 300) {
        throw new IllegalArgumentException("presenceTtl must be at least 300 ms: " + presenceTtl);
      }
      if (healthCheckInterval.toMillis() < 100) {
        throw new IllegalArgumentException("healthCheckInterval must be at least 100 ms: " + healthCheckInterval);
      }
      if (maxPendingPublishBytes < 1) {
        throw new IllegalArgumentException("maxPendingPublishBytes must be at least 1: " + maxPendingPublishBytes);
      }
      return new ReactiveWsRedis(this);
    }
  }
}
