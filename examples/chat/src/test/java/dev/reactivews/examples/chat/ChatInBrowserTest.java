package dev.reactivews.examples.chat;

import dev.reactivews.netty.ReactiveWs;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the browser tests share: one headless Chromium per test class (a start costs seconds),
 * a fresh chat server on an ephemeral port per test, and every page closed after each test.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
abstract class ChatInBrowserTest {
  @TempDir static Path profiles;
  static Browser browser;

  /** The chat of the current test; a test may replace it (a restart). */
  ReactiveWs server;

  @BeforeAll
  static void startBrowser() throws Exception {
    browser = Browser.start(profiles);
  }

  @AfterAll
  static void stopBrowser() {
    if (browser != null) browser.close();
  }

  @BeforeEach
  void startServer() {
    server = ChatApp.start(0);
  }

  @AfterEach
  void stopEverything() {
    try {
      browser.closePages();
    } finally {
      if (server != null) server.stop();
    }
  }

  /** The address of a path on the current chat. */
  String url(String path) {
    return "http://127.0.0.1:" + server.port() + path;
  }
}
