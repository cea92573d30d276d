package dev.reactivews.client.internal;

import dev.reactivews.client.ConnectionClosedException;
import java.util.HashSet;
import java.util.Set;

/**
 * One connection attempt, and the connection it becomes: what the {@link Lifecycle} keeps per
 * socket, and the socket's reader, which has each message decoded by the {@link Receiver}, hands
 * it to the lifecycle and asks for the next as the listeners keep up.
 */
final class Attempt implements Socket.Listener {
  private final Lifecycle lifecycle;
  private final Receiver receiver;
  private final Dispatcher dispatcher;
  private final TaskRunner runner;

  /** Null until the handshake is done, then the socket for good; guarded by the lifecycle's lock. */
  Socket socket;
  /** Whether a message is being handed to the socket (the JDK takes one at a time); guarded by the lifecycle's lock. */
  boolean writing;
  /** The next heartbeat while the attempt is the open connection, else null; guarded by the lifecycle's lock. */
  TaskRunner.Scheduled heartbeat;
  /**
   * The topics a resync went out for on this connection with neither a state nor a patch that
   * follows on come since: a further gap asks for nothing more. Guarded by the lifecycle's lock.
   */
  final Set<String> resyncsAwaited = new HashSet<>();
  /** When anything last came from the server, in {@link TaskRunner#nanoTime()}; the open time at first. */
  volatile long lastReceived;
  /** Whether reading waits for the listeners to catch up: silence then is ours, not the server's. */
  volatile boolean paused;

  Attempt(Lifecycle lifecycle, Receiver receiver, Dispatcher dispatcher, TaskRunner runner) {
    this.lifecycle = lifecycle;
    this.receiver = receiver;
    this.dispatcher = dispatcher;
    this.runner = runner;
  }

  @Override
  public void onOpen(Socket socket) {
    lifecycle.opened(this, socket);
  }

  @Override
  public void onText(String text) {
    lastReceived = runner.nanoTime();
    Receiver.Inbound inbound = receiver.text(text);
    if (inbound != null) {
      lifecycle.received(this, inbound);
    }
    readNext();
  }

  @Override
  public void onBinary(byte[] bytes) {
    lastReceived = runner.nanoTime();
    lifecycle.received(this, receiver.binary(bytes));
    readNext();
  }

  @Override
  public void onActivity() {
    lastReceived = runner.nanoTime();
    readNext();
  }

  @Override
  public void onClosed(int code, String reason) {
    lifecycle.lost(this, new ConnectionClosedException(code, reason));
  }

  @Override
  public void onFailure(Throwable error) {
    lifecycle.lost(this, error);
  }

  /** Asks for the next frame, unless the listeners are too far behind: then once they caught up. */
  private void readNext() {
    if (!lifecycle.isCurrent(this)) {
      return;
    }
    paused = true;
    if (dispatcher.admit(this::resume)) {
      paused = false;
      socket.request();
    }
  }

  private void resume() {
    if (paused) {
      paused = false;
      socket.request();
    }
  }
}
