package dev.reactivews.client.internal;

import dev.reactivews.client.Snapshot;
import dev.reactivews.client.Status;

/**
 * The client's current snapshot, and the events its changes post to the listeners, in the order of
 * the changes. Writes come under the {@link Lifecycle}'s lock; reads need none.
 */
final class Snapshots {
  private final Dispatcher dispatcher;
  /** Replaced, never changed. */
  private volatile Snapshot current;

  Snapshots(Snapshot initial, Dispatcher dispatcher) {
    this.current = initial;
    this.dispatcher = dispatcher;
  }

  Snapshot current() {
    return current;
  }

  void status(Status status) {
    Snapshot now = current;
    if (now.status() != status) {
      current = new Snapshot(status, now.states(), now.data());
      dispatcher.post(new Dispatcher.StatusChanged(current));
    }
  }

  void apply(Receiver.Inbound inbound) {
    Snapshot now = current;
    if (inbound.state() != null) {
      Protocol.State state = inbound.state();
      RealStates states = ((RealStates) now.states()).with(state.topic(), state.payload(), inbound.typed(), state.version());
      current = new Snapshot(now.status(), states, now.data());
      dispatcher.post(new Dispatcher.StateChanged(state.topic(), current));
    } else {
      current = new Snapshot(now.status(), now.states(), inbound.data());
      dispatcher.post(new Dispatcher.DataReceived(inbound.data(), current));
    }
  }
}
