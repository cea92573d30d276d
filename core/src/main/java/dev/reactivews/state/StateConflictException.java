package dev.reactivews.state;

import dev.reactivews.storage.StorageException;

/**
 * A conditional commit found the state changed since its caller read it: take the state at
 * {@link #current()} as the new base and compute the change again.
 */
public final class StateConflictException extends StorageException {
  private final StateVersion current;

  public StateConflictException(String message, StateVersion current) {
    super(message, null);
    this.current = current;
  }

  /** The topic's version when the commit was refused. */
  public StateVersion current() {
    return current;
  }
}
