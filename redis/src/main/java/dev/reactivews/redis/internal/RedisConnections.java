package dev.reactivews.redis.internal;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * The two connections of one node: {@link #commands} rejects commands at once while Redis is
 * unreachable (so nothing waits to be sent late), {@link #pubSub} queues its SUBSCRIBE and
 * UNSUBSCRIBE commands and re-subscribes on its own after a reconnect.
 */
public final class RedisConnections implements AutoCloseable {
  private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

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

  private RedisConnections(String url, String keyPrefix) {
    RedisURI uri = RedisURI.create(url);
    this.keyPrefix = keyPrefix;
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
  }

  public static RedisConnections open(String url, String keyPrefix) {
    return new RedisConnections(url, keyPrefix);
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
