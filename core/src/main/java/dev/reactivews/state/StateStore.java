package dev.reactivews.state;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Where state topics live: per topic its value, its {@link StateVersion} and a log of its last
 * {@link StateTopic#logSize()} changes, changed only by atomic commits that bump the version by
 * exactly 1. {@link dev.reactivews.storage.StorageDriver#stateStore()} gives a driver's store.
 *
 * <p>Every committed change reaches {@link Changes#changed} on every node that {@link #watch
 * watches} the topic, the committing one included, in commit order per topic: that stream, not a
 * commit's return value, is what keeps a node's subscribers in step. A store in this process
 * (memory, file system) delivers every topic's changes, watched or not, from inside the commit.
 *
 * <p>A topic is named by the {@link StateTopic} that declares it and its own name, since a
 * declaration ending in {@code *} declares many. Implementations are thread-safe; the calls
 * block and fail with {@link dev.reactivews.storage.StorageException} when the store cannot be
 * reached.
 */
public interface StateStore extends AutoCloseable {
  /** Where a store's changes go. */
  @FunctionalInterface
  interface Changes {
    /** A committed change, in commit order per topic. Must return quickly and must not block. */
    void changed(Change change);

    /**
     * Changes of the watched topics may have been lost on the way, though they are committed: a
     * store whose delivery crosses the network (Redis) calls it when that link is back after a
     * loss. Compare the versions held with {@link #versions} and read what moved on. Must return
     * quickly and must not block; the default does nothing, for stores that lose no change.
     */
    default void mayHaveMissed() {}
  }

  /** Starts delivering changes to {@code changes}; once, before any commit. */
  void start(Changes changes);

  /** Completes once this node receives the topic's changes. */
  CompletableFuture<Void> watch(String topic);

  /** Stops this node's receiving the topic's changes; does not block. */
  void unwatch(String topic);

  /**
   * The topic's value, version and log, in one consistent read: a topic with nothing stored is
   * {@link StateVersion#NONE} with the declaration's {@link StateTopic#initial()} and no log.
   *
   * @throws IllegalArgumentException if the declaration does not match the topic, or the topic
   *     is stored as another kind
   */
  Stored read(StateTopic declaration, String topic);

  /**
   * Commits the change and returns the topic's version after it: the next number, or the same
   * version for a change that changed nothing ({@link StateOp.Remove} of an absent key). The
   * first change of a topic with nothing stored draws a new epoch and makes version 1.
   *
   * @throws StateConflictException if a {@link StateOp.Replace} or {@link StateOp.PutEntry}
   *     finds the state changed since its caller read it
   * @throws IllegalArgumentException if the change does not fit the topic's kind, its JSON is
   *     not one JSON value, or the declaration does not match the topic
   */
  StateVersion commit(StateTopic declaration, String topic, StateOp op);

  /** The version of each topic, {@link StateVersion#NONE} for one with nothing stored. */
  Map<String, StateVersion> versions(Collection<String> topics);

  /**
   * Gives the topic's data set a new epoch at the same number, if it is still of {@code epoch},
   * and empties its log; delivers the whole state as a {@link Change.Form#STATE} change of the
   * new version. Nodes that find the store went back call it, so that nothing takes later changes
   * as following on from a history that diverged. Returns the topic's version after it.
   */
  StateVersion rebase(String topic, long epoch);

  /** Releases what the store holds open; the default holds nothing. */
  @Override
  default void close() {}
}
