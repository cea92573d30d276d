package dev.reactivews.testing;

import dev.reactivews.state.StateOp;
import dev.reactivews.state.StateStore;
import dev.reactivews.state.StateTopic;
import dev.reactivews.state.StateVersion;
import dev.reactivews.state.Stored;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** A state store that hands every call to another: extend it and override what a test changes. */
public class ForwardingStateStore implements StateStore {
  private final StateStore delegate;

  public ForwardingStateStore(StateStore delegate) {
    this.delegate = delegate;
  }

  @Override
  public void start(Changes changes) {
    delegate.start(changes);
  }

  @Override
  public CompletableFuture<Void> watch(String topic) {
    return delegate.watch(topic);
  }

  @Override
  public void unwatch(String topic) {
    delegate.unwatch(topic);
  }

  @Override
  public Stored read(StateTopic declaration, String topic) {
    return delegate.read(declaration, topic);
  }

  @Override
  public StateVersion commit(StateTopic declaration, String topic, StateOp op) {
    return delegate.commit(declaration, topic, op);
  }

  @Override
  public Map<String, StateVersion> versions(Collection<String> topics) {
    return delegate.versions(topics);
  }

  @Override
  public StateVersion rebase(String topic, long epoch) {
    return delegate.rebase(topic, epoch);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
