package dev.reactivews.transport;

/**
 * A transport's part in stopping its server. {@link WsEngine#stop} calls these in order, within
 * one deadline ({@link System#nanoTime()}), between its own steps: close every peer, then, once
 * the connections are gone, let the queued hooks finish.
 */
public interface StoppingTransport {
  /** Takes no more connections and closes those that are not WebSockets. */
  void stopAccepting() throws InterruptedException;

  /** Waits until every WebSocket connection has ended, at most until the deadline; false if some are left. */
  boolean awaitClosed(long deadlineNanos) throws InterruptedException;

  /** WebSocket connections still open. */
  int openConnections();

  /**
   * Cuts the connections left and waits, at most until the deadline, until the transport has
   * reported every connection's end to the engine (which queues its close hook).
   */
  void closeRemaining(long deadlineNanos) throws InterruptedException;
}
