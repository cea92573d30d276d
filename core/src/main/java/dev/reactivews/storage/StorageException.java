package dev.reactivews.storage;

import dev.reactivews.WsException;
import org.jspecify.annotations.Nullable;

/**
 * A storage call failed: the driver could not read or write, or a value could not be
 * (de)serialized. {@link dev.reactivews.state.StateConflictException} is the one kind of it.
 */
public class StorageException extends WsException {
  public StorageException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
