package dev.reactivews.internal;

/**
 * A JSON Patch that cannot be applied: it is malformed, names a location that does not exist, or
 * a {@code test} operation failed. The message says which operation and why.
 */
public final class JsonPatchException extends IllegalArgumentException {
  JsonPatchException(String message) {
    super(message);
  }
}
