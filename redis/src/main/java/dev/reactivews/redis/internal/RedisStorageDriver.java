package dev.reactivews.redis.internal;

import dev.reactivews.internal.LogText;
import dev.reactivews.state.StateStore;
import dev.reactivews.storage.StorageDriver;
import dev.reactivews.storage.StorageException;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Values as plain strings under {@code PREFIX:kv:KEY}. {@link #update} is optimistic: it reads
 * the value, computes the new one, and a Lua script stores it only if the value is still the one
 * read (compared by SHA-1), else it tries again. Updates of one key from this node take turns
 * first, so only writers on other nodes can make it retry.
 */
public final class RedisStorageDriver implements StorageDriver {
  /** Beyond this many lost races in a row, an update gives up with an error rather than spin. */
  private static final int MAX_ATTEMPTS = 1000;
  private static final byte[] REMOVE = {'1'};
  private static final byte[] STORE = {'0'};
  private static final String COMPARE_AND_SET = """
      local current = redis.call('GET', KEYS[1])
      local hash = current and redis.sha1hex(current) or ''
      if hash ~= ARGV[1] then return 0 end
      if ARGV[2] == '1' then redis.call('DEL', KEYS[1]) else redis.call('SET', KEYS[1], ARGV[3]) end
      return 1
      """;

  private final RedisConnections connections;
  private final RedisCommands<String, byte[]> redis;
  private final String prefix;
  private final ReentrantLock[] locks = new ReentrantLock[64];
  private final RedisStateStore stateStore;

  public RedisStorageDriver(RedisConnections connections) {
    this.connections = connections;
    this.redis = connections.commands.sync();
    this.prefix = connections.key("kv:");
    this.stateStore = new RedisStateStore(connections);
    for (int i = 0; i < locks.length; i++) {
      locks[i] = new ReentrantLock();
    }
  }

  @Override
  public byte[] get(String key) {
    return call("read", key, () -> redis.get(prefix + key));
  }

  @Override
  public void set(String key, byte[] value) {
    call("write", key, () -> redis.set(prefix + key, value));
  }

  @Override
  public boolean has(String key) {
    return call("check", key, () -> redis.exists(prefix + key) == 1);
  }

  @Override
  public boolean remove(String key) {
    return call("remove", key, () -> redis.del(prefix + key) == 1);
  }

  @Override
  public List<String> keys(String keyPrefix) {
    return call("list keys under", keyPrefix, () -> {
      ScanArgs args = ScanArgs.Builder.matches(escapeGlob(prefix + keyPrefix) + "*").limit(500);
      List<String> keys = new ArrayList<>();
      KeyScanCursor<String> cursor = redis.scan(args);
      while (true) {
        cursor.getKeys().forEach(k -> keys.add(k.substring(prefix.length())));
        if (cursor.isFinished()) {
          break;
        }
        cursor = redis.scan(ScanCursor.of(cursor.getCursor()), args);
      }
      // SCAN may return a key twice when the keyspace is resized meanwhile.
      return keys.stream().distinct().sorted().toList();
    });
  }

  @Override
  public byte[] update(String key, UnaryOperator<byte[]> fn) {
    ReentrantLock lock = locks[Math.floorMod(key.hashCode(), locks.length)];
    lock.lock();
    try {
      for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        byte[] current = get(key);
        byte[] next = fn.apply(current);
        byte[] expected = current == null ? new byte[0] : sha1Hex(current);
        boolean stored = call("update", key, () -> redis.<Long>eval(COMPARE_AND_SET, ScriptOutputType.INTEGER,
            new String[] {prefix + key}, expected, next == null ? REMOVE : STORE, next == null ? new byte[0] : next) == 1);
        if (stored) {
          return next;
        }
      }
      throw new StorageException("Redis storage at " + connections.address() + " could not update '"
          + LogText.escape(key) + "': other writers changed it " + MAX_ATTEMPTS + " times in a row", null);
    } finally {
      lock.unlock();
    }
  }

  /** State topics in this Redis, under {@code PREFIX:state:}: see {@link RedisStateStore}. */
  @Override
  public StateStore stateStore() {
    return stateStore;
  }

  private <T> T call(String what, String key, Supplier<T> command) {
    try {
      return command.get();
    } catch (RedisException e) {
      throw new StorageException("Redis storage at " + connections.address() + " could not " + what + " '"
          + LogText.escape(key) + "': " + LogText.escape(e.getMessage()), e);
    }
  }

  /** The prefix as a SCAN pattern that matches it literally. */
  static String escapeGlob(String text) {
    StringBuilder escaped = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\' || c == '^' || c == '-') {
        escaped.append('\\');
      }
      escaped.append(c);
    }
    return escaped.toString();
  }

  static byte[] sha1Hex(byte[] value) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(value)).getBytes(StandardCharsets.US_ASCII);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-1", e);
    }
  }
}
