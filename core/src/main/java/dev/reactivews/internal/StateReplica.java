package dev.reactivews.internal;

import dev.reactivews.state.Change;
import dev.reactivews.state.StateTopic;
import dev.reactivews.state.StateVersion;
import dev.reactivews.state.Stored;
import dev.reactivews.state.Versioned;
import dev.reactivews.transport.OutboundFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * This node's copy of one state topic with local subscribers: its tree and version, kept in step
 * with the store's changes, and what its subscribers get. It starts {@link Status#LOADING}: the
 * changes that arrive before the store's read are kept, and those above the read's version are
 * applied once it comes ({@link #loaded}); then it is {@link Status#READY}. Each change is applied
 * to the tree and sent to every subscriber as one state frame, encoded once. A change that does
 * not follow on from the tree's version sends it back to loading.
 *
 * <p>One lock, never held across a store call, orders everything. The tree is never changed in
 * place ({@link JsonPatch} and {@link JsonMergePatch} copy the containers on a change's path and
 * share the rest), so a tree handed out stays as it was. For an append to a long list that copy is
 * the list's array of references: O(size) in memory bandwidth, though no item is copied.
 */
final class StateReplica {
  private static final ObjectMapper MAPPER = Json.mapperBuilder().build();

  enum Status { LOADING, READY, CLOSED }

  /** What {@link #changed} found. */
  enum Outcome {
    /** Applied, or kept for once the read comes, or dropped as one the tree already holds. */
    DONE,
    /** The change does not follow on from the tree: read the store again. */
    RELOAD
  }

  final String topic;
  final StateTopic declaration;
  private final Frames frames;
  private final TopicRegistry registry;
  private final ReentrantLock lock = new ReentrantLock();
  /** Completes once the replica was first ready, or closed: what a join waits for. */
  private final CompletableFuture<Void> firstReady = new CompletableFuture<>();

  private Status status = Status.LOADING;
  /** The state at {@link #version}; meaningful once ready. */
  private JsonNode tree;
  private StateVersion version = StateVersion.NONE;
  /** The state frame of the current version, encoded when first needed; null after each change. */
  private @Nullable OutboundFrame stateFrame;
  /** The changes that arrived while loading, in the order they came. */
  private final List<Change> pending = new ArrayList<>();

  StateReplica(String topic, StateTopic declaration, Frames frames, TopicRegistry registry) {
    this.topic = topic;
    this.declaration = declaration;
    this.frames = frames;
    this.registry = registry;
    this.tree = declaration.initial();
  }

  /**
   * Takes the store's read, then the changes kept meanwhile, and sends the state to every
   * subscriber that does not hold it yet. {@link Outcome#RELOAD} if a kept change did not follow
   * on from the read.
   */
  Outcome loaded(Stored stored) {
    lock.lock();
    try {
      if (status != Status.LOADING) {
        return Outcome.DONE;
      }
      tree = stored.value();
      version = stored.version();
      stateFrame = null;
      for (Change change : pending) {
        if (apply(change) == Outcome.RELOAD) {
          pending.clear();
          return Outcome.RELOAD;
        }
      }
      pending.clear();
      status = Status.READY;
      OutboundFrame frame = stateFrame();
      for (RealPeer peer : registry.subscribers(topic)) {
        peer.writeState(topic, frame, version);
      }
    } finally {
      lock.unlock();
    }
    firstReady.complete(null);
    return Outcome.DONE;
  }

  /** A change from the store: applied and sent to every subscriber, kept while loading. */
  Outcome changed(Change change) {
    lock.lock();
    try {
      return switch (status) {
        case CLOSED -> Outcome.DONE;
        case LOADING -> {
          pending.add(change);
          yield Outcome.DONE;
        }
        case READY -> {
          StateVersion before = version;
          if (apply(change) == Outcome.RELOAD) {
            status = Status.LOADING;
            yield Outcome.RELOAD;
          }
          if (!version.equals(before)) {
            OutboundFrame frame = stateFrame();
            for (RealPeer peer : registry.subscribers(topic)) {
              peer.writeState(topic, frame, version);
            }
          }
          yield Outcome.DONE;
        }
      };
    } finally {
      lock.unlock();
    }
  }

  /**
   * Applies a change that follows on from the tree's version (the first change of a topic with
   * nothing stored begins its epoch), or a whole state of another epoch; drops one the tree
   * already holds.
   */
  private Outcome apply(Change change) {
    StateVersion next = change.version();
    boolean sameEpoch = next.epoch() == version.epoch();
    boolean followsOn = next.number() == version.number() + 1 && (sameEpoch || version.epoch() == 0);
    if (sameEpoch && next.number() <= version.number()) {
      return Outcome.DONE;
    }
    if (!followsOn && !(change.form() == Change.Form.STATE && !sameEpoch)) {
      Hub.LOG.warn("topic {}: a change to version {} of epoch {} does not follow on from version {} of epoch {}; "
          + "reading the state again", LogText.escape(topic), next.number(), next.epoch(), version.number(),
          version.epoch());
      return Outcome.RELOAD;
    }
    try {
      JsonNode body = MAPPER.readTree(change.body());
      tree = switch (change.form()) {
        case PATCH -> JsonPatch.apply(tree, body);
        case MERGE -> JsonMergePatch.apply(tree, body);
        case STATE -> body;
      };
    } catch (JacksonException | JsonPatchException e) {
      Hub.LOG.warn("topic {}: the change to version {} does not apply; reading the state again",
          LogText.escape(topic), next.number(), e);
      return Outcome.RELOAD;
    }
    version = next;
    stateFrame = null;
    return Outcome.DONE;
  }

  /**
   * Sends a peer that has just subscribed the current state, if ready and the peer does not hold
   * it already (the load may have reached it first); else it gets it once loaded.
   */
  void join(RealPeer peer) {
    lock.lock();
    try {
      if (status == Status.READY) {
        peer.writeState(topic, stateFrame(), version);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Completes once the replica was first ready (or closed). */
  CompletableFuture<Void> firstReady() {
    return firstReady;
  }

  /** The tree and its version when ready, else null: read the store instead. */
  @Nullable Versioned<JsonNode> current() {
    lock.lock();
    try {
      return status == Status.READY ? new Versioned<>(tree, version) : null;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Sends a ready replica back to loading, the changes that come meanwhile kept as at the first
   * load: for a store found at another version than the changes brought. True if it was ready, and
   * the caller must now read the store.
   */
  boolean reload() {
    lock.lock();
    try {
      if (status != Status.READY) {
        return false;
      }
      status = Status.LOADING;
      return true;
    } finally {
      lock.unlock();
    }
  }

  boolean isClosed() {
    lock.lock();
    try {
      return status == Status.CLOSED;
    } finally {
      lock.unlock();
    }
  }

  /** The topic lost its last local subscriber: nothing more is applied or sent. */
  void close() {
    lock.lock();
    try {
      status = Status.CLOSED;
      pending.clear();
    } finally {
      lock.unlock();
    }
    firstReady.complete(null);
  }

  private OutboundFrame stateFrame() {
    if (stateFrame == null) {
      stateFrame = frames.state(topic, tree, declaration.compress(), version);
    }
    return stateFrame;
  }
}
