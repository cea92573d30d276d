package dev.reactivews.redis.internal;

import dev.reactivews.cluster.Presence;
import dev.reactivews.internal.LogText;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each node's peer count in a Redis hash ({@code PREFIX:presence}), with a deadline per node in a
 * sorted set ({@code PREFIX:presence:deadlines}) that its heartbeat, every third of the TTL,
 * pushes forward. One Lua script reports a node's count, removes the nodes whose deadline passed
 * (on Redis's clock, so the nodes' clocks do not matter), and, when anything changed, bumps a
 * version ({@code PREFIX:presence:version}) and publishes the whole table on {@code
 * PREFIX:presence}. Every node keeps the table with the highest version it saw, from that
 * channel or from its own script runs.
 */
public final class RedisPresence implements Presence {
  private static final Logger LOG = LoggerFactory.getLogger(RedisPresence.class);
  /**
   * KEYS: counts, deadlines, version. ARGV: node, count (-1 to leave), ttl in ms, channel.
   * Returns "version node count node count ...". The version starts from Redis's clock in
   * microseconds, so it still grows after Redis restarts empty.
   */
  private static final String REPORT = """
      local time = redis.call('TIME')
      local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
      local changed = false
      for _, node in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now)) do
        redis.call('HDEL', KEYS[1], node)
        redis.call('ZREM', KEYS[2], node)
        changed = true
      end
      if tonumber(ARGV[2]) < 0 then
        if redis.call('HDEL', KEYS[1], ARGV[1]) == 1 then changed = true end
        redis.call('ZREM', KEYS[2], ARGV[1])
      else
        if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then
          redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
          changed = true
        end
        redis.call('ZADD', KEYS[2], now + tonumber(ARGV[3]), ARGV[1])
      end
      if redis.call('EXISTS', KEYS[3]) == 0 then
        redis.call('SET', KEYS[3], time[1] .. string.format('%06d', tonumber(time[2])))
        changed = true
      elseif changed then
        redis.call('INCR', KEYS[3])
      end
      local result = redis.call('GET', KEYS[3])
      local all = redis.call('HGETALL', KEYS[1])
      for i = 1, #all do result = result .. ' ' .. all[i] end
      if changed then redis.call('PUBLISH', ARGV[4], result) end
      return result
      """;

  private final RedisConnections connections;
  private final Duration ttl;
  private final String[] keys;
  private final String channel;
  private final String node;
  private final ScheduledExecutorService reporter;
  /** True while a report is queued that has not read the local count yet. */
  private final AtomicBoolean reportPending = new AtomicBoolean();
  /** True from a failed report until one succeeds again, so an outage is logged once. */
  private final AtomicBoolean failing = new AtomicBoolean();
  private final AtomicBoolean started = new AtomicBoolean();
  private IntSupplier localCount;
  private Runnable othersChanged;
  /** The highest version of the table taken so far, and the other nodes' total in it; guarded by this. */
  private long version = -1;
  private volatile int others;
  private volatile boolean closed;

  public RedisPresence(RedisConnections connections, Duration ttl) {
    this.connections = connections;
    this.ttl = ttl;
    this.channel = connections.key("presence");
    this.keys = new String[] {channel, connections.key("presence:deadlines"), connections.key("presence:version")};
    this.node = connections.nodeId();
    this.reporter = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "reactive-ws-presence-" + node.substring(0, 8));
      thread.setDaemon(true);
      return thread;
    });
  }

  @Override
  public void start(IntSupplier localCount, Runnable othersChanged) {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("this presence already serves a server: one ReactiveWsRedis per server");
    }
    this.localCount = localCount;
    this.othersChanged = othersChanged;
    connections.onChannel(channel, (c, message) -> take(new String(message, StandardCharsets.UTF_8)));
    connections.pubSub.async().subscribe(channel);
    long heartbeat = Math.max(1, ttl.toMillis() / 3);
    reporter.scheduleWithFixedDelay(this::report, 0, heartbeat, TimeUnit.MILLISECONDS);
  }

  @Override
  public void localChanged() {
    if (!closed && reportPending.compareAndSet(false, true)) {
      reporter.execute(this::report);
    }
  }

  @Override
  public int others() {
    return others;
  }

  private void report() {
    reportPending.set(false);
    run(localCount.getAsInt());
  }

  private void run(int count) {
    try {
      byte[] table = connections.commands.sync().eval(REPORT, ScriptOutputType.VALUE, keys,
          bytes(node), bytes(Integer.toString(count)), bytes(Long.toString(ttl.toMillis())), bytes(channel));
      if (failing.compareAndSet(true, false)) {
        LOG.info("peer count reported to Redis at {} again", connections.address());
      }
      take(new String(table, StandardCharsets.UTF_8));
    } catch (RedisException e) {
      if (failing.compareAndSet(false, true)) {
        LOG.warn("cannot report the peer count to Redis at {} ({}): other nodes' peers counted as last known",
            connections.address(), LogText.escape(e.toString()));
      }
    }
  }

  /** Takes a table if it is newer than the one held; tells the hub if the others' total changed. */
  private void take(String table) {
    String[] parts = table.split(" ");
    long tableVersion;
    int total = 0;
    try {
      tableVersion = Long.parseLong(parts[0]);
      for (int i = 1; i + 1 < parts.length; i += 2) {
        if (!parts[i].equals(node)) {
          total += Integer.parseInt(parts[i + 1]);
        }
      }
    } catch (NumberFormatException e) {
      LOG.warn("dropped a peer-count table on {} that no reactive-ws node sent: {}", LogText.escape(channel),
          LogText.escape(table));
      return;
    }
    boolean changed;
    synchronized (this) {
      if (tableVersion < version || closed) {
        return;
      }
      version = tableVersion;
      changed = total != others;
      others = total;
    }
    if (changed) {
      othersChanged.run();
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    reporter.shutdownNow();
    try {
      reporter.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (started.get()) {
      // Leave at once rather than when the TTL runs out; if Redis is down, the TTL does it.
      try {
        connections.commands.sync().eval(REPORT, ScriptOutputType.VALUE, keys,
            bytes(node), bytes("-1"), bytes(Long.toString(ttl.toMillis())), bytes(channel));
      } catch (RedisException e) {
        LOG.info("could not take this node out of the peer count now ({}); it expires within {}",
            LogText.escape(e.toString()), ttl);
      }
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
