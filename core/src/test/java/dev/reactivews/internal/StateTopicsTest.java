package dev.reactivews.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reactivews.WsConfig;
import dev.reactivews.WsHandler;
import dev.reactivews.WsMetrics;
import dev.reactivews.cluster.Backplane;
import dev.reactivews.cluster.Presence;
import dev.reactivews.state.StateConflictException;
import dev.reactivews.state.StateOp;
import dev.reactivews.state.StateStore;
import dev.reactivews.state.StateTopic;
import dev.reactivews.state.StateVersion;
import dev.reactivews.state.Stored;
import dev.reactivews.storage.StorageDriver;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How an update retries, on a memory store another writer always beats. */
@Timeout(30)
class StateTopicsTest {
  /** The memory store, but every update's commit finds that a change came first, as another node's would. */
  private static final class AlwaysBeaten implements StateStore {
    private final StateStore memory = StorageDriver.memory().stateStore();

    @Override
    public void start(Changes changes) {
      memory.start(changes);
    }

    @Override
    public CompletableFuture<Void> watch(String topic) {
      return memory.watch(topic);
    }

    @Override
    public void unwatch(String topic) {
      memory.unwatch(topic);
    }

    @Override
    public Stored read(StateTopic declaration, String topic) {
      return memory.read(declaration, topic);
    }

    @Override
    public StateVersion commit(StateTopic declaration, String topic, StateOp op) {
      if (op instanceof StateOp.Replace) {
        memory.commit(declaration, topic, new StateOp.Clear());
        throw new StateConflictException("beaten", StateVersion.NONE);
      }
      return memory.commit(declaration, topic, op);
    }

    @Override
    public Map<String, StateVersion> versions(Collection<String> topics) {
      return memory.versions(topics);
    }

    @Override
    public StateVersion rebase(String topic, long epoch) {
      return memory.rebase(topic, epoch);
    }
  }

  @Test
  void anUpdateThatLosesEveryRaceGivesUpAfterAHundredTries() {
    WsConfig config = WsConfig.builder().states(StateTopic.list("chat")).build();
    Hub hub = new Hub(config, WsHandler.builder().build(), Backplane.local(), Presence.local(), WsMetrics.NONE,
        Json.mapperBuilder().build(), new AlwaysBeaten());
    hub.start();
    AtomicInteger runs = new AtomicInteger();
    assertThatThrownBy(() -> hub.states().list("chat", String.class).update(lines -> {
          runs.incrementAndGet();
          return List.of("line");
        }))
        .isInstanceOf(StateConflictException.class)
        .hasMessage("topic 'chat': other changes came first 100 times in a row");
    assertThat(runs).hasValue(StateHandle.MAX_ATTEMPTS);
    assertThat(hub.states().list("chat", String.class).read().value()).isEmpty();
    hub.stopCluster();
  }
}
