package dev.reactivews.internal;

import dev.reactivews.WsHandler;
import dev.reactivews.cluster.BackplaneOverloadedException;
import dev.reactivews.validation.ValidationException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Runs the app's hooks, off the I/O threads: one virtual thread per busy peer, each peer's hooks
 * in order through its {@link PeerMailbox}. What a hook throws is logged (a refusal at the
 * peer's bounded rate, without a stack trace), answered to the peer and passed to the error
 * hook; the connection stays open.
 */
final class HookRunner {
  @FunctionalInterface
  interface Hook {
    void run() throws Exception;
  }

  private final WsHandler handler;
  private final ExecutorService executor =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("reactive-ws-hook-", 0).factory());

  HookRunner(WsHandler handler) {
    this.handler = handler;
  }

  /** A queue of tasks run one at a time, in order, holding at most {@code capacity} waiting. */
  PeerMailbox mailbox(int capacity) {
    return new PeerMailbox(executor, capacity);
  }

  /**
   * Runs app code for a peer, on the calling thread (its mailbox's). A failure is logged with the
   * peer id, answered to the peer with an error frame and passed to the error hook.
   */
  void run(RealPeer peer, String name, Hook hook) {
    try {
      hook.run();
    } catch (ValidationException e) {
      peer.refusals.log(name + " hook rejected a message: " + e.getMessage());
      peer.sendError(ErrorCode.INVALID_MESSAGE, e.getMessage(), e.issues());
      notifyError(peer, e);
    } catch (BackplaneOverloadedException e) {
      // The backplane logs the overload itself, at a bounded rate; one line per hook would flood the log.
      peer.refusals.log(name + " hook could not publish: " + e.getMessage());
      answerServerError(peer, e);
    } catch (Exception | LinkageError | AssertionError e) {
      Hub.LOG.warn("peer {}: {} hook failed", peer.id(), name, e);
      answerServerError(peer, e);
    }
  }

  /** The peer learns only that the server failed; the app's error hook gets the cause. */
  private void answerServerError(RealPeer peer, Throwable error) {
    peer.sendError(ErrorCode.SERVER_ERROR, "the server could not handle this message", List.of());
    notifyError(peer, error);
  }

  private void notifyError(RealPeer peer, Throwable error) {
    try {
      handler.error(peer, error);
    } catch (RuntimeException e) {
      Hub.LOG.warn("peer {}: error hook failed", peer.id(), e);
    }
  }

  /** Lets queued hooks finish, up to the timeout, and accepts no new ones. */
  boolean shutdown(Duration timeout) throws InterruptedException {
    executor.shutdown();
    return executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}
