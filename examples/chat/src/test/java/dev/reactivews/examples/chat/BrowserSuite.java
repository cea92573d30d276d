package dev.reactivews.examples.chat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the browser suites share: one headless Chromium per test class (a start costs seconds),
 * a fresh chat server on an ephemeral port per test, and every page closed after each test.
 * A subclass says how to start the server.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
public abstract class BrowserSuite {
  @TempDir static Path profiles;
  protected static Browser browser;

  /** The chat of the current test; a test may replace it (a restart). */
  protected RunningChat server;

  /** Starts the chat under test on the port: 0 for any free one, or the port of a chat just closed (a restart). */
  protected abstract RunningChat startChat(int port);

  @BeforeAll
  public static void startBrowser() throws Exception {
    browser = Browser.start(profiles);
  }

  @AfterAll
  public static void stopBrowser() {
    if (browser != null) browser.close();
  }

  @BeforeEach
  public void startServer() {
    server = startChat(0);
  }

  @AfterEach
  public void stopEverything() {
    try {
      browser.closePages();
    } finally {
      if (server != null) server.close();
    }
  }

  /** The address of a path on the current chat. */
  protected String url(String path) {
    return "http://127.0.0.1:" + server.port() + path;
  }
}
