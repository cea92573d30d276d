package dev.reactivews.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reactivews.state.StateOp;
import dev.reactivews.state.StateStore;
import dev.reactivews.state.StateTopic;
import dev.reactivews.state.StateVersion;
import dev.reactivews.storage.StateStoreContract;
import dev.reactivews.storage.StorageDriver;
import dev.reactivews.testing.ForwardingStateStore;
import dev.reactivews.testing.ForwardingStorageDriver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The state store contract on a real Redis. The contract checks what a store delivered right
 * after each commit, as the stores in this process deliver from inside it; Redis delivers
 * through pub/sub, after the commit returned, and only the watched topics. So the store under
 * test is {@link InStep}: it watches each topic before its first call and returns from a commit
 * only once Redis delivered its change. What the contract then finds delivered is what Redis
 * published, in the order it did.
 */
class RedisStateStoreTest extends StateStoreContract {
  @RegisterExtension
  static final RedisServer redis = RedisServer.perTestClass();

  private final List<ReactiveWsRedis> nodes = new ArrayList<>();

  @Override
  protected StorageDriver newDriver() {
    assertThat(redis.command("FLUSHALL")).isEqualTo("+OK");
    ReactiveWsRedis node = ReactiveWsRedis.connect(redis.url());
    nodes.add(node);
    return new InStepDriver(node.storage());
  }

  @AfterEach
  void closeNodes() {
    nodes.forEach(ReactiveWsRedis::close);
  }

  /** A driver whose {@link #stateStore()} is the Redis one, {@link InStep in step}. */
  private static final class InStepDriver extends ForwardingStorageDriver {
    private final InStep store;

    InStepDriver(StorageDriver redis) {
      super(redis);
      this.store = new InStep(redis.stateStore());
    }

    @Override
    public StateStore stateStore() {
      return store;
    }
  }

  /** The Redis store, watching every topic it meets and returning from a change once it was delivered. */
  private static final class InStep extends ForwardingStateStore {
    private final Map<String, CompletableFuture<Void>> watches = new ConcurrentHashMap<>();
    private final Set<Map.Entry<String, StateVersion>> delivered = ConcurrentHashMap.newKeySet();

    InStep(StateStore redis) {
      super(redis);
    }

    /**
     * Every caller waits for the topic's one watch: a thread that went on while another's watch
     * was still on its way committed a change Redis published to no one, and waited for it in vain.
     */
    private void watchOnce(String name) {
      watches.computeIfAbsent(name, super::watch).join();
    }

    /** Waits for the change that made the version, unless it is one delivered already or none at all. */
    private StateVersion delivered(String name, StateVersion version) {
      if (version.number() > 0) {
        await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(10))
            .until(() -> delivered.contains(Map.entry(name, version)));
      }
      return version;
    }

    @Override
    public void start(Changes changes) {
      super.start(change -> {
        changes.changed(change);
        delivered.add(Map.entry(change.topic(), change.version()));
      });
    }

    @Override
    public StateVersion commit(StateTopic declaration, String topic, StateOp op) {
      watchOnce(topic);
      return delivered(topic, super.commit(declaration, topic, op));
    }

    @Override
    public StateVersion rebase(String topic, long epoch) {
      watchOnce(topic);
      return delivered(topic, super.rebase(topic, epoch));
    }
  }
}
