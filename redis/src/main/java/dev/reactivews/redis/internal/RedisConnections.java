package dev.reactivews.redis.internal;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisChannelWriter;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.protocol.CommandExpiryWriter;
import io.lettuce.core.protocol.DefaultEndpoint;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two connections of one node: {@link #commands} rejects commands at once while Redis is
 * unreachable (so nothing waits to be sent late), {@link #pubSub} queues its SUBSCRIBE and
 * UNSUBSCRIBE commands and re-subscribes to every channel on its own after a reconnect.
 *
 * <p>Losing the pub/sub connection is logged at WARN (this node misses what the others publish
 * until it is back), getting it back at INFO. A health ping on both connections every interval
 * notices what no disconnect reports: a pub/sub connection that stays silent for a whole
 * interval while the command connection answers is dropped, so that it reconnects and
 * re-subscribes; when neither answers, Redis itself is stalled, which is logged (once, and again
 * when it answers) but does not drop the subscriptions, so nothing published during the stall
 * is missed once it ends.
 */
public final class RedisConnections implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RedisConnections.class);
  private static final RedisCodec<String, byte[]> CODEC = KeyCodec.INSTANCE;

  private final UUID nodeId = UUID.randomUUID();
  private final String keyPrefix;
  private final String address;
  private final ClientResources resources;
  private final RedisClient commandClient;
  private final RedisClient pubSubClient;
  final StatefulRedisConnection<String, byte[]> commands;
  final StatefulRedisPubSubConnection<String, byte[]> pubSub;
  /** Who handles the messages of a channel, by channel name. */
  private final Map<String, BiConsumer<String, byte[]>> channelHandlers = new ConcurrentHashMap<>();
  /** Who handles the messages of the channels under a prefix. */
  private final Map<String, BiConsumer<String, byte[]>> prefixHandlers = new ConcurrentHashMap<>();
  /** Who wants to know when the pub/sub connection is back after a loss, its channels subscribed again. */
  private final List<Runnable> resubscribedListeners = new CopyOnWriteArrayList<>();
  private final Duration healthCheckInterval;
  private final ScheduledFuture<?> healthCheck;
  /** The health pings in flight, null when answered; only the health check's thread uses them. */
  private RedisFuture<String> pubSubPing;
  private RedisFuture<String> commandsPing;
  /** True while Redis has left a health ping unanswered for an interval, so a stall is logged once. */
  private boolean stalled;
  /** True from a lost pub/sub connection until it is back, so each loss is logged once. */
  private final AtomicBoolean pubSubLost = new AtomicBoolean();
  private volatile boolean closing;
  /** Where the pub/sub connection's socket can be dropped; Lettuce then reconnects it. */
  private final DefaultEndpoint pubSubEndpoint;

  private RedisConnections(String url, String keyPrefix, Duration healthCheckInterval) {
    RedisURI uri = RedisURI.create(url);
    this.keyPrefix = keyPrefix;
    this.healthCheckInterval = healthCheckInterval;
    this.address = uri.getHost() + ":" + uri.getPort();
    this.resources = ClientResources.builder()
        .reconnectDelay(Delay.exponential(Duration.ofMillis(20), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
        .build();
    this.commandClient = RedisClient.create(resources, uri);
    commandClient.setOptions(ClientOptions.builder()
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .build());
    this.pubSubClient = RedisClient.create(resources, uri);
    try {
      this.commands = commandClient.connect(CODEC);
      this.pubSub = pubSubClient.connectPubSub(CODEC);
    } catch (RuntimeException e) {
      shutdown();
      throw e;
    }
    pubSub.addListener(new RedisPubSubAdapter<>() {
      @Override
      public void message(String channel, byte[] message) {
        dispatch(channel, message);
      }
    });
    this.pubSubEndpoint = endpointOf(((RedisChannelHandler<?, ?>) pubSub).getChannelWriter());
    pubSub.addListener(new RedisConnectionStateListener() {
      @Override
      public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
        if (!closing && pubSubLost.compareAndSet(false, true)) {
          LOG.warn("lost the pub/sub connection to Redis at {}: reconnecting; until then this node misses "
              + "what other nodes publish", address);
        }
      }

      @Override
      public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress socketAddress) {
        if (pubSubLost.compareAndSet(true, false)) {
          LOG.info("pub/sub connection to Redis at {} is back; subscribing to every topic again", address);
          // Lettuce sends the SUBSCRIBEs of the channels it had before this callback, and Redis
          // answers a connection's commands in order: once this PING is answered, they are confirmed.
          pubSub.async().ping().thenRun(() -> resubscribedListeners.forEach(RedisConnections::runListener));
        }
      }
    });
    long intervalNanos = healthCheckInterval.toNanos();
    this.healthCheck = resources.eventExecutorGroup()
        .scheduleWithFixedDelay(this::checkHealth, intervalNanos, intervalNanos, TimeUnit.NANOSECONDS);
  }

  public static RedisConnections open(String url, String keyPrefix, Duration healthCheckInterval) {
    return new RedisConnections(url, keyPrefix, healthCheckInterval);
  }

  private static DefaultEndpoint endpointOf(RedisChannelWriter writer) {
    RedisChannelWriter unwrapped = writer;
    while (unwrapped instanceof CommandExpiryWriter expiry) {
      unwrapped = expiry.getDelegate();
    }
    if (unwrapped instanceof DefaultEndpoint endpoint) {
      return endpoint;
    }
    throw new IllegalStateException("this Lettuce writes through " + writer.getClass().getName()
        + ", not an endpoint whose socket can be dropped");
  }

  /** One health check: judges the pings of the last one, then sends new ones. */
  private void checkHealth() {
    if (closing) {
      return;
    }
    boolean pubSubSilent = pubSubPing != null && !pubSubPing.isDone();
    boolean commandsSilent = commandsPing != null && !commandsPing.isDone();
    if (commandsSilent) {
      if (!stalled) {
        stalled = true;
        LOG.warn("Redis at {} has not answered for {} ms: publishes wait for it (up to the bound) and storage "
            + "calls block", address, healthCheckInterval.toMillis());
      }
      return;
    }
    if (stalled) {
      stalled = false;
      LOG.info("Redis at {} answers again", address);
    }
    if (pubSubSilent && commandsPing.toCompletableFuture().isCompletedExceptionally()) {
      // Redis is unreachable: the pub/sub connection is reconnecting on its own already.
      pubSubSilent = false;
    }
    if (pubSubSilent && pubSubLost.compareAndSet(false, true)) {
      LOG.warn("the pub/sub connection to Redis at {} has not answered for {} ms while Redis does: dropping it to "
          + "reconnect and subscribe to every topic again", address, healthCheckInterval.toMillis());
      pubSubEndpoint.disconnect();
    }
    if (pubSubPing == null || pubSubPing.isDone()) {
      pubSubPing = pubSub.async().ping();
    }
    commandsPing = commands.async().ping();
  }

  public String nodeId() {
    return nodeId.toString();
  }

  UUID nodeUuid() {
    return nodeId;
  }

  /** {@code host:port} of the Redis, for messages (never the password). */
  String address() {
    return address;
  }

  /** The name of a key or channel: the prefix, a colon, the name. */
  String key(String name) {
    return keyPrefix + ":" + name;
  }

  void onChannel(String channel, BiConsumer<String, byte[]> handler) {
    channelHandlers.put(channel, handler);
  }

  void onChannelsUnder(String prefix, BiConsumer<String, byte[]> handler) {
    prefixHandlers.put(prefix, handler);
  }

  /**
   * Runs the listener (on Lettuce's I/O thread; it must not block) each time the pub/sub
   * connection is back after a loss and Redis confirmed its subscriptions again: what was
   * published while it was away is lost.
   */
  void onPubSubResubscribed(Runnable listener) {
    resubscribedListeners.add(listener);
  }

  private static void runListener(Runnable listener) {
    try {
      listener.run();
    } catch (RuntimeException e) {
      LOG.warn("a listener of the pub/sub connection's return failed", e);
    }
  }

  private void dispatch(String channel, byte[] message) {
    BiConsumer<String, byte[]> handler = channelHandlers.get(channel);
    if (handler == null) {
      for (Map.Entry<String, BiConsumer<String, byte[]>> entry : prefixHandlers.entrySet()) {
        if (channel.startsWith(entry.getKey())) {
          handler = entry.getValue();
          break;
        }
      }
    }
    if (handler != null) {
      handler.accept(channel, message);
    }
  }

  @Override
  public void close() {
    closing = true;
    healthCheck.cancel(false);
    pubSub.close();
    commands.close();
    shutdown();
  }

  private void shutdown() {
    pubSubClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    commandClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    resources.shutdown(0, 2, TimeUnit.SECONDS);
  }
}
