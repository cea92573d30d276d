package dev.reactivews.client;

/** A listener added to a {@link ReactiveWsClient}; {@link #remove()} stops it. */
@FunctionalInterface
public interface Registration {
  /** Stops the listener: it is not called for any event delivered after this returns. Idempotent. */
  void remove();
}
