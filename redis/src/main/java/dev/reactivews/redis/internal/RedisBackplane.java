package dev.reactivews.redis.internal;

import dev.reactivews.cluster.Backplane;
import dev.reactivews.cluster.BackplaneOverloadedException;
import dev.reactivews.internal.LogText;
import dev.reactivews.transport.OutboundFrame;
import io.lettuce.core.pubsub.api.async.RedisPubSubAsyncCommands;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Redis pub/sub, one channel per topic ({@code PREFIX:topic:TOPIC}); this node subscribes only
 * to the channels of topics it has subscribers for. A message is a header and the frame's bytes
 * as encoded by the publishing node:
 *
 * <pre>
 * byte    format (2)
 * byte    flags: 1 = text frame, 2 = compress
 * 16 bytes the publishing node's id
 * long    the publishing node's sequence number, one up per publish
 * long    the state's epoch, 0 for none
 * long    the state's version, 0 for none
 * ...     the frame
 * </pre>
 *
 * <p>Format 1, from nodes of an earlier release, has no epoch; it is read with epoch 0, so a
 * cluster can be upgraded one node at a time (the older nodes drop what the newer ones send,
 * with a warning, until they are upgraded too).
 *
 * <p>Publishes sent and not yet answered by Redis (a stalled Redis answers none) are bounded in
 * bytes: past the bound a publish throws {@link BackplaneOverloadedException} and is logged at
 * ERROR, at most once per {@link #REFUSAL_LOG_INTERVAL_NANOS} with the count left out.
 *
 * <p>A node drops its own messages (it delivered them already) and any message whose sequence
 * number is not above the last one it took from that node: Redis keeps one publisher's order,
 * so this only drops a publish that Lettuce sent twice across a reconnect. Each message thus
 * reaches each other node exactly once.
 */
public final class RedisBackplane implements Backplane {
  private static final Logger LOG = LoggerFactory.getLogger(RedisBackplane.class);
  private static final byte FORMAT = 2;
  private static final byte FORMAT_WITHOUT_EPOCH = 1;
  private static final int HEADER_BYTES = 1 + 1 + 16 + 8 + 8 + 8;
  private static final int HEADER_BYTES_WITHOUT_EPOCH = HEADER_BYTES - 8;
  private static final byte TEXT = 1;
  private static final byte COMPRESS = 2;
  private static final long REFUSAL_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final RedisConnections connections;
  private final String channelPrefix;
  private final UUID self;
  /** Orders SUBSCRIBE and UNSUBSCRIBE on the wire as the hub ordered the calls. */
  private final Object interestLock = new Object();
  /** Makes sequence numbers and the order of PUBLISH commands on the wire agree. */
  private final Object publishLock = new Object();
  /** Guarded by {@link #publishLock}. */
  private long sequence;
  /** The last sequence number taken from each other node. */
  private final Map<UUID, Long> lastSequence = new ConcurrentHashMap<>();
  /** True from a failed publish until one succeeds again, so an outage is logged once. */
  private final AtomicBoolean failing = new AtomicBoolean();
  private final AtomicBoolean started = new AtomicBoolean();
  private final long maxPendingBytes;
  /** Bytes of the publishes sent to Redis and not answered yet. */
  private final AtomicLong pendingBytes = new AtomicLong();
  private final AtomicInteger pendingPublishes = new AtomicInteger();
  /** Publishes refused since the last ERROR line, and when that line was written. */
  private final AtomicLong refusedSinceLog = new AtomicLong();
  private final AtomicLong lastRefusalLog = new AtomicLong(System.nanoTime() - REFUSAL_LOG_INTERVAL_NANOS);
  private volatile Delivery delivery;
  private volatile boolean closed;

  public RedisBackplane(RedisConnections connections, long maxPendingBytes) {
    this.connections = connections;
    this.maxPendingBytes = maxPendingBytes;
    this.channelPrefix = connections.key("topic:");
    this.self = connections.nodeUuid();
  }

  @Override
  public void start(Delivery delivery) {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("this backplane already serves a server: one ReactiveWsRedis per server");
    }
    this.delivery = delivery;
    connections.onChannelsUnder(channelPrefix, this::received);
  }

  @Override
  public void subscribe(String topic) {
    synchronized (interestLock) {
      if (!closed) {
        pubSub().subscribe(channelPrefix + topic).exceptionally(e -> {
          LOG.warn("could not subscribe to topic {} on Redis at {}: {}", LogText.escape(topic), connections.address(),
              LogText.escape(e.toString()));
          return null;
        });
      }
    }
  }

  @Override
  public void unsubscribe(String topic) {
    synchronized (interestLock) {
      if (!closed) {
        pubSub().unsubscribe(channelPrefix + topic).exceptionally(e -> {
          LOG.debug("could not unsubscribe from topic {}: {}", LogText.escape(topic), LogText.escape(e.toString()));
          return null;
        });
      }
    }
  }

  private RedisPubSubAsyncCommands<String, byte[]> pubSub() {
    return connections.pubSub.async();
  }

  @Override
  public void publish(String topic, OutboundFrame frame, long epoch, long version) {
    if (closed) {
      return;
    }
    synchronized (publishLock) {
      byte[] message = encode(frame, sequence + 1, epoch, version);
      long pending = pendingBytes.addAndGet(message.length);
      if (pending > maxPendingBytes) {
        pendingBytes.addAndGet(-message.length);
        throw refuse(topic, message.length, pending - message.length);
      }
      sequence++;
      pendingPublishes.incrementAndGet();
      connections.commands.async().publish(channelPrefix + topic, message).whenComplete((receivers, error) -> {
        pendingBytes.addAndGet(-message.length);
        pendingPublishes.decrementAndGet();
        if (error == null) {
          if (failing.compareAndSet(true, false)) {
            LOG.info("publishing to other nodes through Redis at {} again", connections.address());
          }
        } else if (failing.compareAndSet(false, true)) {
          LOG.warn("cannot publish to other nodes through Redis at {} ({}): publishes reach this node's "
              + "subscribers only until it is back", connections.address(), LogText.escape(error.toString()));
        }
      });
    }
  }

  private BackplaneOverloadedException refuse(String topic, int bytes, long pending) {
    BackplaneOverloadedException refused = new BackplaneOverloadedException("cannot publish " + bytes
        + " bytes to topic " + LogText.escape(topic) + ": " + pending + " bytes of earlier publishes still wait for "
        + "Redis at " + connections.address() + " (at most " + maxPendingBytes + "); it reached no one");
    refusedSinceLog.incrementAndGet();
    long now = System.nanoTime();
    long last = lastRefusalLog.get();
    if (now - last >= REFUSAL_LOG_INTERVAL_NANOS && lastRefusalLog.compareAndSet(last, now)) {
      long count = refusedSinceLog.getAndSet(0);
      LOG.error("{} ({} publish(es) refused since the last such line); is Redis stalled?", refused.getMessage(), count);
    }
    return refused;
  }

  /** Publishes sent to Redis and not answered yet. */
  public int pendingPublishes() {
    return pendingPublishes.get();
  }

  /** Bytes of the publishes sent to Redis and not answered yet. */
  public long pendingBytes() {
    return pendingBytes.get();
  }

  private byte[] encode(OutboundFrame frame, long seq, long epoch, long version) {
    byte flags = (byte) ((frame.text() ? TEXT : 0) | (frame.compress() ? COMPRESS : 0));
    return ByteBuffer.allocate(HEADER_BYTES + frame.bytes().length)
        .put(FORMAT)
        .put(flags)
        .putLong(self.getMostSignificantBits())
        .putLong(self.getLeastSignificantBits())
        .putLong(seq)
        .putLong(epoch)
        .putLong(version)
        .put(frame.bytes())
        .array();
  }

  /** On Lettuce's I/O thread: must not block, and does not (fan-out only queues writes). */
  private void received(String channel, byte[] message) {
    String topic = channel.substring(channelPrefix.length());
    int headerBytes = message.length == 0 ? 0 : switch (message[0]) {
      case FORMAT -> HEADER_BYTES;
      case FORMAT_WITHOUT_EPOCH -> HEADER_BYTES_WITHOUT_EPOCH;
      default -> 0;
    };
    if (headerBytes == 0 || message.length < headerBytes) {
      LOG.warn("dropped a message on {} that no reactive-ws node sent ({} bytes)", LogText.escape(channel),
          message.length);
      return;
    }
    ByteBuffer header = ByteBuffer.wrap(message);
    header.position(1);
    byte flags = header.get();
    UUID origin = new UUID(header.getLong(), header.getLong());
    long seq = header.getLong();
    long epoch = headerBytes == HEADER_BYTES ? header.getLong() : 0;
    long version = header.getLong();
    if (origin.equals(self) || closed) {
      return;
    }
    Long last = lastSequence.get(origin);
    if (last != null && seq <= last) {
      LOG.debug("dropped a duplicate publish {} from node {}", seq, origin);
      return;
    }
    lastSequence.put(origin, seq);
    OutboundFrame frame = new OutboundFrame(
        Arrays.copyOfRange(message, headerBytes, message.length), (flags & TEXT) != 0, (flags & COMPRESS) != 0);
    delivery.deliver(topic, frame, epoch, version);
  }

  @Override
  public void close() {
    synchronized (interestLock) {
      closed = true;
    }
  }
}
