package dev.reactivews.internal;

import dev.reactivews.WsConfig;
import dev.reactivews.state.Change;
import dev.reactivews.state.ListState;
import dev.reactivews.state.MapState;
import dev.reactivews.state.StateKind;
import dev.reactivews.state.StateStore;
import dev.reactivews.state.StateTopic;
import dev.reactivews.state.StateVersion;
import dev.reactivews.state.ValueState;
import dev.reactivews.state.Stored;
import dev.reactivews.state.Versioned;
import dev.reactivews.state.WsStates;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The server's state topics: the {@link WsStates} the app changes them through, and one {@link
 * StateReplica} per state topic with subscribers on this node, fed by the store's changes. The
 * {@link Hub} tells it when a topic gains its first local subscriber and loses its last, and when
 * a peer subscribes; a replica is loaded off the caller's thread, the store watched first and read
 * after, so that no change between the two is lost.
 *
 * <p>A change this node never hears of (lost on the backplane) shows as a gap when the next one
 * comes. For the last one before a quiet spell, and for a store that went back or was emptied,
 * the versions held are compared with the store's every {@link WsConfig#stateCheckInterval()}
 * and whenever the store says changes may have been missed; a topic that differs twice in a row,
 * a moment apart, is brought up to date.
 */
final class StateTopics implements WsStates, StateStore.Changes {
  /**
   * How long a subscribe (or an open) waits for the topic's first read before the app's hook runs
   * anyway: a store that cannot be read must not hold the peer's messages up for ever. The peer
   * gets the state once the read succeeds.
   */
  static final Duration FIRST_READ_WAIT = Duration.ofSeconds(5);
  private static final Duration FIRST_RETRY = Duration.ofMillis(100);
  private static final Duration LAST_RETRY = Duration.ofSeconds(5);
  /**
   * How long a difference between a replica and the store must last before it counts: longer than
   * a change takes from the store to this node, so that one on its way is not taken for a lost one.
   */
  static final Duration CHECK_CONFIRMATION = Duration.ofMillis(250);

  private final WsConfig config;
  private final @Nullable StateStore store;
  private final ObjectMapper mapper;
  private final Frames frames;
  private final TopicRegistry registry;
  private final ConcurrentMap<String, StateReplica> replicas = new ConcurrentHashMap<>();
  private final StateHandle.Turns turns = new StateHandle.Turns();
  private final ExecutorService loaders =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("reactive-ws-state-", 0).factory());
  private final AtomicBoolean started = new AtomicBoolean();
  private final ScheduledExecutorService checks = Executors.newSingleThreadScheduledExecutor(
      Thread.ofPlatform().name("reactive-ws-state-check").daemon().factory());

  /** {@code store} may be null only when the config declares no state topic. */
  StateTopics(WsConfig config, @Nullable StateStore store, ObjectMapper mapper, Frames frames, TopicRegistry registry) {
    if (store == null && !config.stateTopics().isEmpty()) {
      throw new IllegalStateException("the config declares state topics " + names(config)
          + " and there is no state store to keep them: give the engine one (WsEngine.Builder.stateStore), "
          + "such as StorageDriver.memory().stateStore()");
    }
    this.config = config;
    this.store = store;
    this.mapper = mapper;
    this.frames = frames;
    this.registry = registry;
  }

  private static String names(WsConfig config) {
    return config.stateTopics().stream().map(StateTopic::topic).toList().toString();
  }

  /** Starts the store's changes flowing here; once. */
  void start() {
    if (store != null && started.compareAndSet(false, true)) {
      store.start(this);
      long every = config.stateCheckInterval().toMillis();
      if (every > 0 && !config.stateTopics().isEmpty()) {
        checks.scheduleWithFixedDelay(this::checkVersions, every, every, TimeUnit.MILLISECONDS);
      }
    }
  }

  /** Stops loading replicas and checking them; the store is its driver's to close. */
  void stop() {
    loaders.shutdownNow();
    checks.shutdownNow();
  }

  // --- the hub's calls ---

  /** Throws if the topic is a state topic: its state changes only through {@link WsStates}. */
  void refuseWholeStates(String topic) {
    StateTopic declaration = config.stateTopic(topic);
    if (declaration != null) {
      String kind = declaration.kind().name().toLowerCase(Locale.ROOT);
      throw new IllegalArgumentException("'" + LogText.escape(topic) + "' is a state topic: change it through states()."
          + kind + "(\"" + LogText.escape(topic) + "\", …), which versions every change");
    }
  }

  /** The topic's first local subscriber: a state topic gets a replica, loading. Does not block. */
  void gained(String topic) {
    StateTopic declaration = config.stateTopic(topic);
    if (declaration == null) {
      return;
    }
    StateReplica replica = new StateReplica(topic, declaration, frames, registry);
    replicas.put(topic, replica);
    load(replica);
  }

  /** The topic's last local subscriber left: its replica goes. Does not block. */
  void lost(String topic) {
    StateReplica replica = replicas.remove(topic);
    if (replica != null) {
      replica.close();
      Objects.requireNonNull(store, "a state topic has a store").unwatch(topic);
    }
  }

  /** A peer subscribed: it gets the state now if the replica is ready, else once it is. Does not block. */
  void joined(RealPeer peer, String topic) {
    StateReplica replica = replicas.get(topic);
    if (replica != null) {
      replica.join(peer);
    }
  }

  /**
   * The peer says it holds {@code held} of a topic it is subscribed to (null: nothing it trusts):
   * a state topic catches it up from there. A plain peer takes no patches, so it gets the whole
   * state whatever it holds. Does not block.
   */
  void resync(RealPeer peer, String topic, @Nullable StateVersion held) {
    StateReplica replica = replicas.get(topic);
    if (replica != null) {
      replica.resume(peer, peer.deltas ? held : null);
    }
  }

  /**
   * Waits, up to {@link #FIRST_READ_WAIT}, for each of these topics that is a state topic to have
   * been read once, so that the peer has its state before the app's hook runs. On the peer's
   * mailbox.
   */
  void awaitFirstRead(Collection<String> topics) {
    long deadline = System.nanoTime() + FIRST_READ_WAIT.toNanos();
    for (String topic : topics) {
      StateReplica replica = replicas.get(topic);
      if (replica == null) {
        continue;
      }
      try {
        replica.firstReady().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        Hub.LOG.warn("topic {}: not read from the state store within {}; its subscribers get it once it is",
            LogText.escape(topic), FIRST_READ_WAIT);
      } catch (ExecutionException e) {
        throw new IllegalStateException("a replica's first read never fails", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Override
  public void changed(Change change) {
    StateReplica replica = replicas.get(change.topic());
    if (replica != null && replica.changed(change) == StateReplica.Outcome.RELOAD) {
      load(replica);
    }
  }

  @Override
  public void mayHaveMissed() {
    try {
      checks.execute(this::checkVersions);
    } catch (RejectedExecutionException stopped) {
      // The server is stopping: nobody is left to bring up to date.
    }
  }

  /** A replica's version and the store's, when they differed. */
  private record Difference(StateReplica replica, StateVersion held, StateVersion stored) {}

  /** Compares the ready replicas' versions with the store's; those that differ are looked at again a moment later. */
  private void checkVersions() {
    Map<String, StateVersion> held = new HashMap<>();
    replicas.forEach((topic, replica) -> {
      Versioned<JsonNode> current = replica.current();
      if (current != null) {
        held.put(topic, current.version());
      }
    });
    if (held.isEmpty()) {
      return;
    }
    Map<String, StateVersion> stored;
    try {
      stored = Objects.requireNonNull(store, "a state topic has a store").versions(held.keySet());
    } catch (RuntimeException e) {
      Hub.LOG.warn("comparing the state topics' versions with the store failed; trying again in {}",
          config.stateCheckInterval(), e);
      return;
    }
    List<Difference> differences = new ArrayList<>();
    held.forEach((topic, version) -> {
      StateVersion inStore = stored.getOrDefault(topic, StateVersion.NONE);
      StateReplica replica = replicas.get(topic);
      if (!inStore.equals(version) && replica != null) {
        differences.add(new Difference(replica, version, inStore));
      }
    });
    if (!differences.isEmpty()) {
      checks.schedule(() -> differences.forEach(this::repair), CHECK_CONFIRMATION.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Brings a replica still at the version it held when it differed from the store up to date: it
   * reads the store again when the store is newer, of another epoch, or emptied; a store that went
   * back within the epoch (restored from an older copy) gets a new epoch first, so that no change
   * made from now on is taken as following on from the history the subscribers hold.
   */
  private void repair(Difference difference) {
    StateReplica replica = difference.replica();
    Versioned<JsonNode> current = replica.current();
    if (current == null || !current.version().equals(difference.held()) || replicas.get(replica.topic) != replica) {
      return;
    }
    StateVersion held = difference.held();
    StateVersion stored = difference.stored();
    String topic = LogText.escape(replica.topic);
    try {
      if (stored.epoch() == held.epoch() && stored.number() < held.number()) {
        Hub.LOG.warn("topic {}: the store went back from version {} to {} of epoch {}; giving it a new epoch",
            topic, held.number(), stored.number(), held.epoch());
        Objects.requireNonNull(store, "a state topic has a store").rebase(replica.topic, stored.epoch());
        return;
      }
    } catch (RuntimeException e) {
      Hub.LOG.warn("topic {}: giving it a new epoch failed; the next check tries again", topic, e);
      return;
    }
    if (replica.reload()) {
      Hub.LOG.warn("topic {}: the store holds version {} of epoch {} and this node version {} of epoch {}, "
          + "with no change on its way; reading the state again", topic, stored.number(), stored.epoch(),
          held.number(), held.epoch());
      load(replica);
    }
  }

  /** Watches, then reads, then hands the read to the replica, on a thread of its own; retries with a backoff. */
  private void load(StateReplica replica) {
    StateStore source = Objects.requireNonNull(store, "a state topic has a store");
    loaders.execute(() -> {
      Duration retry = FIRST_RETRY;
      while (!replica.isClosed()) {
        try {
          source.watch(replica.topic).join();
          Stored stored = source.read(replica.declaration, replica.topic);
          if (replica.loaded(stored) == StateReplica.Outcome.DONE) {
            return;
          }
        } catch (RuntimeException e) {
          Hub.LOG.warn("topic {}: reading its state failed, trying again in {}", LogText.escape(replica.topic), retry, e);
          try {
            Thread.sleep(retry.toMillis() / 2 + ThreadLocalRandom.current().nextLong(retry.toMillis() / 2 + 1));
          } catch (InterruptedException stopping) {
            return;
          }
          retry = retry.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : retry.multipliedBy(2);
        }
      }
    });
  }

  // --- WsStates ---

  @Override
  public <T> ListState<T> list(String topic, Class<T> item) {
    return new RealListState<>(handle(topic, StateKind.LIST), mapper.constructType(item));
  }

  @Override
  public <T> ListState<T> list(String topic, TypeReference<T> item) {
    return new RealListState<>(handle(topic, StateKind.LIST), mapper.constructType(item));
  }

  @Override
  public <V> MapState<V> map(String topic, Class<V> value) {
    return new RealMapState<>(handle(topic, StateKind.MAP), mapper.constructType(value));
  }

  @Override
  public <V> MapState<V> map(String topic, TypeReference<V> value) {
    return new RealMapState<>(handle(topic, StateKind.MAP), mapper.constructType(value));
  }

  @Override
  public <T> ValueState<T> value(String topic, Class<T> type) {
    return new RealValueState<>(handle(topic, StateKind.VALUE), mapper.constructType(type));
  }

  @Override
  public <T> ValueState<T> value(String topic, TypeReference<T> type) {
    return new RealValueState<>(handle(topic, StateKind.VALUE), mapper.constructType(type));
  }

  @Override
  public boolean isStateTopic(String topic) {
    return config.stateTopic(topic) != null;
  }

  private StateHandle handle(String topic, StateKind kind) {
    Objects.requireNonNull(topic, "topic == null");
    StateTopic declaration = config.stateTopic(topic);
    if (declaration == null) {
      throw new IllegalArgumentException("'" + LogText.escape(topic) + "' is not a state topic: declare it with "
          + "WsConfig.Builder.states or ws.topics.states (declared: " + names(config) + ")");
    }
    if (declaration.kind() != kind) {
      throw new IllegalArgumentException("'" + LogText.escape(topic) + "' is declared a "
          + declaration.kind().name().toLowerCase(Locale.ROOT) + ", not a " + kind.name().toLowerCase(Locale.ROOT));
    }
    return new StateHandle(topic, declaration, Objects.requireNonNull(store, "a state topic has a store"), mapper,
        turns, this::current);
  }

  /** The topic as this node's replica holds it when it is ready, else as the store reads it. */
  private Versioned<JsonNode> current(StateTopic declaration, String topic) {
    StateReplica replica = replicas.get(topic);
    Versioned<JsonNode> held = replica == null ? null : replica.current();
    if (held != null) {
      return held;
    }
    Stored stored = Objects.requireNonNull(store, "a state topic has a store").read(declaration, topic);
    return new Versioned<>(stored.value(), stored.version());
  }
}
