package dev.reactivews.client.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two ways the client ends a socket with a close frame: waiting a little for the server's
 * answer ({@code close()}), or not at all (a heartbeat timeout, where a half-open server never
 * answers). Either way the socket is dropped at the end, so no connection outlives its close.
 */
final class SocketCloser {
  private static final Logger LOG = LoggerFactory.getLogger(SocketCloser.class);
  /** How long a close waits for the server's close frame. */
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);
  /** The IANA-registered close code "Timeout", which both clients send when the heartbeat gives up. */
  static final int CLOSE_HEARTBEAT_TIMEOUT = 3008;

  private final TaskRunner runner;
  /** The client's name, first in every log line. */
  private final String client;

  SocketCloser(TaskRunner runner, String client) {
    this.runner = runner;
    this.client = client;
  }

  /** Sends a close frame and waits up to {@link #CLOSE_TIMEOUT} for the server's, then drops the connection. */
  void closeGracefully(Socket socket, int code, String reason) {
    CompletableFuture<?> closing;
    try {
      closing = socket.close(code, reason);
    } catch (RuntimeException e) {
      closing = CompletableFuture.failedFuture(e);
    }
    CompletableFuture<?> waiting = closing;
    TaskRunner.Scheduled timeout = runner.schedule(CLOSE_TIMEOUT,
        () -> waiting.completeExceptionally(new TimeoutException("no close frame within " + CLOSE_TIMEOUT)));
    try {
      waiting.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      LOG.debug("{}: no clean close: {}", client, e.getCause().toString());
    } finally {
      timeout.cancel();
      socket.abort();
    }
  }

  /**
   * Sends a close frame with {@link #CLOSE_HEARTBEAT_TIMEOUT} and returns at once; the connection
   * is dropped when the server answers, or after {@link #CLOSE_TIMEOUT} when it does not.
   */
  void closeTimedOut(Socket socket) {
    TaskRunner.Scheduled unanswered = runner.schedule(CLOSE_TIMEOUT, socket::abort);
    try {
      socket.close(CLOSE_HEARTBEAT_TIMEOUT, "heartbeat timeout").whenComplete((ignored, error) -> {
        unanswered.cancel();
        socket.abort();
      });
    } catch (RuntimeException e) {
      unanswered.cancel();
      socket.abort();
    }
  }
}
