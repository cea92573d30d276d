package dev.reactivews.examples.chathandler;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every chat suite shares: a fresh chat server on an ephemeral port per test, started by the
 * subclass, whatever serves it. JUnit runs a subclass's {@code @AfterEach} first, so its clients
 * close before the server does.
 */
public abstract class ChatServerSuite {
  /** The chat of the current test; a test may replace it (a restart). */
  protected RunningChat server;

  /** Starts the chat under test on the port: 0 for any free one, or the port of a chat just closed (a restart). */
  protected abstract RunningChat startChat(int port);

  @BeforeEach
  public void startServer() {
    server = startChat(0);
  }

  @AfterEach
  public void stopServer() {
    if (server != null) server.close();
  }
}
