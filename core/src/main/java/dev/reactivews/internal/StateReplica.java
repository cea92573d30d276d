package dev.reactivews.internal;

import dev.reactivews.state.Change;
import dev.reactivews.state.StateTopic;
import dev.reactivews.state.StateVersion;
import dev.reactivews.state.Stored;
import dev.reactivews.state.Versioned;
import dev.reactivews.transport.OutboundFrame;
import java.util.ArrayDeque;
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
 * to the tree and sent to each subscriber either as a patch frame (a delta peer that holds the
 * version before it) or as the whole state frame (any other peer); each frame is encoded once per
 * change, the state frame only if some peer needs it. A whole-state change, or the first of an
 * epoch, goes to everyone as a state frame, so the epoch reaches every client. A change that does
 * not follow on from the tree's version sends the replica back to loading; once loaded, each
 * subscriber is caught up from the version it holds.
 *
 * <p>The patch frames of the last {@link StateTopic#logSize()} changes are kept, as a run of
 * versions ending at the tree's: a peer that resumes from a version within it gets the frames it
 * missed, in order, instead of the whole state. A load fills it from the store's log.
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
  /**
   * The patch frames of the last changes, oldest first: versions in a run that ends at {@link
   * #version}, of its epoch, at most {@link StateTopic#logSize()} of them; empty after a whole
   * state.
   */
  private final ArrayDeque<RecentPatch> recent = new ArrayDeque<>();
  /** The patch frame of the change {@link #apply} applied last, or null when it was a whole state. */
  private @Nullable OutboundFrame lastPatch;

  /** A change's patch frame and the version it makes. */
  private record RecentPatch(long number, OutboundFrame frame) {}

  StateReplica(String topic, StateTopic declaration, Frames frames, TopicRegistry registry) {
    this.topic = topic;
    this.declaration = declaration;
    this.frames = frames;
    this.registry = registry;
    this.tree = declaration.initial();
  }

  /**
   * Takes the store's read, then the changes kept meanwhile, and catches every subscriber up
   * from the version it holds. {@link Outcome#RELOAD} if a kept change did not follow on from the
   * read.
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
      recallLog(stored);
      for (Change change : pending) {
        if (apply(change) == Outcome.RELOAD) {
          pending.clear();
          return Outcome.RELOAD;
        }
      }
      pending.clear();
      status = Status.READY;
      for (RealPeer peer : registry.subscribers(topic)) {
        catchUp(peer);
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
            fanOut(before);
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
          + "reading the state again, and catching the subscribers up through the store's log where it reaches",
          LogText.escape(topic), next.number(), next.epoch(), version.number(), version.epoch());
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
    boolean newEpoch = next.epoch() != version.epoch();
    version = next;
    stateFrame = null;
    if (change.form() == Change.Form.STATE || newEpoch) {
      recent.clear();
      lastPatch = null;
    } else {
      lastPatch = frames.patch(topic, next.number(), change.form(), change.body(), declaration.compress());
      remember(next.number(), lastPatch);
    }
    return Outcome.DONE;
  }

  /** The change just applied, to every subscriber: as its patch where that follows on, else as the state. */
  private void fanOut(StateVersion before) {
    for (RealPeer peer : registry.subscribers(topic)) {
      if (lastPatch != null && peer.deltas && before.equals(peer.heldVersion(topic))) {
        peer.writePatch(topic, lastPatch, version);
      } else {
        peer.writeState(topic, stateFrame(), version);
      }
    }
  }

  /**
   * Sends the peer what it lacks from the version it holds: nothing when it holds the tree's; the
   * patch frames after it when it is a delta peer, of the tree's epoch and older, and they reach
   * back to it; else the whole state. Only when ready.
   */
  private void catchUp(RealPeer peer) {
    StateVersion held = peer.heldVersion(topic);
    if (version.equals(held)) {
      return;
    }
    boolean older = held != null && held.epoch() == version.epoch() && held.number() < version.number();
    if (peer.deltas && older && !recent.isEmpty() && recent.getFirst().number() <= held.number() + 1) {
      for (RecentPatch patch : recent) {
        if (patch.number() > held.number()
            && !peer.writePatch(topic, patch.frame(), new StateVersion(version.epoch(), patch.number()))) {
          return;
        }
      }
      return;
    }
    if (peer.deltas && held != null && !older && held.epoch() == version.epoch()) {
      // The client claims a version this replica has not reached: the state it is sure of goes instead.
      peer.holdVersion(topic, null);
    }
    peer.writeState(topic, stateFrame(), version);
  }

  /** Keeps the patch frame of the change that made version {@code number}, dropping the oldest past the log size. */
  private void remember(long number, OutboundFrame frame) {
    if (declaration.logSize() == 0) {
      return;
    }
    recent.addLast(new RecentPatch(number, frame));
    while (recent.size() > declaration.logSize()) {
      recent.removeFirst();
    }
  }

  /**
   * Refills the recent patch frames from the store's log: its run of patches that ends at the
   * read's version, back to the first whole state or gap.
   */
  private void recallLog(Stored stored) {
    recent.clear();
    lastPatch = null;
    List<Change> run = new ArrayList<>();
    long expected = version.number();
    // Version 1 begins its epoch, so it always went out as a state: no client resumes from before it.
    for (Change change : stored.log().reversed()) {
      boolean inRun = change.version().equals(new StateVersion(version.epoch(), expected));
      if (expected <= 1 || change.form() == Change.Form.STATE || !inRun) {
        break;
      }
      run.add(change);
      expected--;
    }
    for (Change change : run.reversed()) {
      remember(change.version().number(),
          frames.patch(topic, change.version().number(), change.form(), change.body(), declaration.compress()));
    }
  }

  /**
   * Catches up a peer that has just subscribed, if ready (the load may have reached it first);
   * else it is caught up once loaded.
   */
  void join(RealPeer peer) {
    lock.lock();
    try {
      if (status == Status.READY) {
        catchUp(peer);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * The peer says it holds {@code held} (null: nothing it trusts): it is caught up from there, now
   * if ready, else once loaded.
   */
  void resume(RealPeer peer, @Nullable StateVersion held) {
    lock.lock();
    try {
      peer.holdVersion(topic, held);
      if (status == Status.READY) {
        catchUp(peer);
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
      recent.clear();
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
