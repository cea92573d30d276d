package dev.reactivews.client.internal;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A server in memory: each handshake waits for the test to {@link #accept} or {@link #refuse} it;
 * the config request answers at once, with no config.
 */
final class FakeTransport implements Transport {
  /** A handshake the test has not answered yet. */
  record Handshake(URI url, Socket.Listener listener, CompletableFuture<Void> result, long startedAt) {}

  private final FakeTaskRunner runner;
  /** Every handshake, in the order they started. */
  final List<Handshake> handshakes = new ArrayList<>();

  FakeTransport(FakeTaskRunner runner) {
    this.runner = runner;
  }

  @Override
  public CompletableFuture<?> connect(URI url, Socket.Listener listener) {
    Handshake handshake = new Handshake(url, listener, new CompletableFuture<>(), runner.nanoTime());
    handshakes.add(handshake);
    return handshake.result();
  }

  @Override
  public CompletableFuture<ServerTopics> loadConfig() {
    return CompletableFuture.completedFuture(ServerTopics.NONE);
  }

  @Override
  public void shutdownNow() {
    // nothing runs behind it
  }

  @Override
  public void restart() {
    // nothing runs behind it
  }

  @Override
  public boolean awaitTermination(Duration timeout) {
    return true;
  }

  /** Opens the last handshake: the client hears the socket, then the handshake completes. */
  FakeSocket accept() {
    Handshake handshake = handshakes.getLast();
    FakeSocket socket = new FakeSocket(handshake.listener(), runner);
    handshake.listener().onOpen(socket);
    handshake.result().complete(null);
    runner.runUntilIdle();
    return socket;
  }

  /** Fails the last handshake, as a server that is down does. */
  void refuse() {
    handshakes.getLast().result().completeExceptionally(new java.net.ConnectException("Connection refused"));
    runner.runUntilIdle();
  }
}
