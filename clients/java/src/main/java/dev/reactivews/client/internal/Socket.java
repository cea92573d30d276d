package dev.reactivews.client.internal;

import java.util.concurrent.CompletableFuture;

/**
 * One open WebSocket, as narrow as the client uses it: whole messages out, flow control and the
 * two ways to end. The JDK's {@link java.net.http.WebSocket} behind {@link JdkSocket}; an in-memory
 * one in tests.
 */
interface Socket {
  /** What the socket tells about the connection; calls come one at a time, in the order of the frames. */
  interface Listener {
    /** The handshake is done: the socket takes messages, and nothing is read before {@link #request}. */
    void onOpen(Socket socket);

    /** A whole text message; the next one waits for {@link #request}. */
    void onText(String text);

    /** A whole binary message; the next one waits for {@link #request}. */
    void onBinary(byte[] bytes);

    /** A ping, a pong or a part of a message: the server is there. The next frame waits for {@link #request}. */
    void onActivity();

    /** The server's close frame; the socket answers it. Nothing follows. */
    void onClosed(int code, String reason);

    /** The connection broke, or the server sent what the socket refuses. Nothing follows. */
    void onFailure(Throwable error);
  }

  /**
   * Sends a whole text message. The caller sends the next only once this completed (the JDK
   * allows one message at a time); it completes exceptionally when the connection broke.
   */
  CompletableFuture<?> sendText(String text);

  /** As {@link #sendText}, for bytes. */
  CompletableFuture<?> sendBinary(byte[] bytes);

  /** Sends a close frame; completes once the server's close (or a failure) ended the input. */
  CompletableFuture<?> close(int code, String reason);

  /** Lets the listener hear one more frame. */
  void request();

  /** Drops the connection at once, with no close frame; the listener hears nothing more of it. */
  void abort();
}
