package dev.reactivews.client.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDK's WebSocket behind {@link Socket}: joins the parts of a message, holds the size limit,
 * and turns the JDK's callbacks into the listener's. The JDK calls one method at a time.
 */
final class JdkSocket implements Socket, WebSocket.Listener {
  /** The largest message taken from the server, in chars (text) or bytes (binary); more drops the connection. */
  static final int MAX_MESSAGE_SIZE = 16 * 1024 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(JdkSocket.class);

  private final Socket.Listener listener;
  private final String client;
  /** Null until the handshake is done; set once, on the JDK's thread, before the listener hears of it. */
  private volatile WebSocket webSocket;
  /** Completes when the server's close frame (or an error) ends the input. */
  private final CompletableFuture<Void> inputClosed = new CompletableFuture<>();
  /** The parts of a text message so far; only the JDK's callbacks touch it, one at a time. */
  private final StringBuilder textParts = new StringBuilder();
  /** The parts of a binary message so far; as {@link #textParts}. */
  private final ByteArrayOutputStream binaryParts = new ByteArrayOutputStream();

  JdkSocket(Socket.Listener listener, String client) {
    this.listener = listener;
    this.client = client;
  }

  @Override
  public CompletableFuture<?> sendText(String text) {
    return webSocket.sendText(text, true);
  }

  @Override
  public CompletableFuture<?> sendBinary(byte[] bytes) {
    return webSocket.sendBinary(ByteBuffer.wrap(bytes), true);
  }

  @Override
  public CompletableFuture<?> close(int code, String reason) {
    return webSocket.sendClose(code, reason).thenCompose(ws -> inputClosed);
  }

  @Override
  public void request() {
    webSocket.request(1);
  }

  @Override
  public void abort() {
    webSocket.abort();
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    this.webSocket = webSocket;
    listener.onOpen(this);
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    if (textParts.length() + data.length() > MAX_MESSAGE_SIZE) {
      return tooBig("characters");
    }
    textParts.append(data);
    if (last) {
      String text = textParts.toString();
      textParts.setLength(0);
      listener.onText(text);
    } else {
      listener.onActivity();
    }
    return null;
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
    if (binaryParts.size() + data.remaining() > MAX_MESSAGE_SIZE) {
      return tooBig("bytes");
    }
    byte[] part = new byte[data.remaining()];
    data.get(part);
    binaryParts.writeBytes(part);
    if (last) {
      byte[] bytes = binaryParts.toByteArray();
      binaryParts.reset();
      listener.onBinary(bytes);
    } else {
      listener.onActivity();
    }
    return null;
  }

  /** The JDK answers pings itself. */
  @Override
  public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
    listener.onActivity();
    return null;
  }

  @Override
  public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
    listener.onActivity();
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    inputClosed.complete(null);
    listener.onClosed(statusCode, reason);
    // null: the JDK answers with a close frame of the same code.
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    inputClosed.complete(null);
    listener.onFailure(error);
  }

  /** Drops the connection: the JDK may not send 1009 itself, and the rest of the message is not wanted. */
  private CompletionStage<?> tooBig(String unit) {
    IOException error = new IOException("the server sent a message over " + MAX_MESSAGE_SIZE + " " + unit);
    LOG.warn("{}: {}: dropping the connection", client, error.getMessage());
    webSocket.abort();
    listener.onFailure(error);
    return null;
  }
}
