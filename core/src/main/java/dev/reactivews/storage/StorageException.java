package dev.reactivews.storage;

import dev.reactivews.WsException;

/**
 * A storage call failed: the driver could not read or write, or a value could not be
 * (de)serialized. {@link dev.reactivews.state.StateConflictException} is the one kind of it.
 */
public class StorageException extends WsException {
  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
