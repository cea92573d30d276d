package dev.reactivews.client.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * An open socket in memory: records what the client sends ({@code text:…}, {@code binary:…},
 * {@code close 1000}, {@code abort}) and lets the test play the server's frames, its close and a
 * broken connection, each followed by what the client does at once about it (its listeners
 * included). Every write completes at once, unless the test {@link #holdWrites}; a close frame is
 * answered at once.
 */
final class FakeSocket implements Socket {
  private final Socket.Listener listener;
  private final FakeTaskRunner runner;
  /** What the client did with the socket, in order. */
  final List<String> sent = new ArrayList<>();
  /** Frames the client asked for and has not had yet. */
  int requested;
  /** While true, a write is taken and never completes: a server that stopped reading. */
  boolean holdWrites;

  FakeSocket(Socket.Listener listener, FakeTaskRunner runner) {
    this.listener = listener;
    this.runner = runner;
  }

  @Override
  public CompletableFuture<?> sendText(String text) {
    sent.add("text:" + text);
    return holdWrites ? new CompletableFuture<>() : CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<?> sendBinary(byte[] bytes) {
    sent.add("binary:" + new String(bytes, StandardCharsets.UTF_8));
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<?> close(int code, String reason) {
    sent.add("close " + code);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void request() {
    requested++;
  }

  @Override
  public void abort() {
    sent.add("abort");
  }

  /** The texts the client sent, without the prefix. */
  List<String> texts() {
    return sent.stream().filter(s -> s.startsWith("text:")).map(s -> s.substring("text:".length())).toList();
  }

  /** The server sends a whole text message. */
  void serverText(String text) {
    requested--;
    listener.onText(text);
    runner.runUntilIdle();
  }

  /** The server ends the connection with a close frame. */
  void serverClose(int code, String reason) {
    listener.onClosed(code, reason);
    runner.runUntilIdle();
  }

  /** The connection breaks. */
  void fail(Throwable error) {
    listener.onFailure(error);
    runner.runUntilIdle();
  }
}
