package dev.reactivews.client.internal;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * How a client reaches its server: WebSocket handshakes and the config request. Over the JDK's
 * {@link java.net.http.HttpClient} in {@link JdkTransport}; in memory in tests.
 */
interface Transport {
  /**
   * Starts a handshake with the WebSocket at {@code url}. On success the listener hears {@link Socket.Listener#onOpen} before the
   * future completes; a failed handshake completes it exceptionally, and the listener may hear
   * nothing of it.
   */
  CompletableFuture<?> connect(URI url, Socket.Listener listener);

  /** What {@link ServerTopics#load} says of the server's config. */
  CompletableFuture<ServerTopics> loadConfig();

  /** Ends every connection and the threads behind them. */
  void shutdownNow();

  /** Makes connections again after {@link #shutdownNow()}, on new threads: the client was opened after a close. */
  void restart();

  /** Whether the threads ended within the timeout. */
  boolean awaitTermination(Duration timeout) throws InterruptedException;
}
