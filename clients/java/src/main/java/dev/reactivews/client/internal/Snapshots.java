package dev.reactivews.client.internal;

import dev.reactivews.client.Data;
import dev.reactivews.client.HeldVersion;
import dev.reactivews.client.Snapshot;
import dev.reactivews.client.Status;
import tools.jackson.databind.JsonNode;

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

  /** Sets the topic's state, its typed value and its version (null for none). */
  void state(String topic, JsonNode payload, Object typed, HeldVersion version) {
    Snapshot now = current;
    RealStates states = ((RealStates) now.states()).with(topic, payload, typed, version);
    current = new Snapshot(now.status(), states, now.data());
    dispatcher.post(new Dispatcher.StateChanged(topic, current));
  }

  void data(Data data) {
    Snapshot now = current;
    current = new Snapshot(now.status(), now.states(), data);
    dispatcher.post(new Dispatcher.DataReceived(data, current));
  }
}
