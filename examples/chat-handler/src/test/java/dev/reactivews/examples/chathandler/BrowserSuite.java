package dev.reactivews.examples.chathandler;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the browser suites share: one headless Chromium per test class (a start costs seconds),
 * and every page closed after each test, before the server stops.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
public abstract class BrowserSuite extends ChatServerSuite {
  @TempDir static Path profiles;
  protected static Browser browser;

  @BeforeAll
  public static void startBrowser() throws Exception {
    browser = Browser.start(profiles);
  }

  @AfterAll
  public static void stopBrowser() {
    if (browser != null) browser.close();
  }

  @AfterEach
  public void closePages() {
    browser.closePages();
  }

  /** The address of a path on the current chat. */
  protected String url(String path) {
    return "http://127.0.0.1:" + server.port() + path;
  }
}
