package dev.reactivews.examples.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reactivews.netty.ReactiveWs;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Seed 003's chat in two real headless Chromium sessions against the real server: each page sees
 * both users join and reads the other's lines.
 *
 * <p>Chromium and chromedriver are Debian's ({@code scripts/install-test-tools.sh}). Naming both
 * binaries keeps Selenium Manager from ever downloading a browser or a driver.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ChatBrowserTest {

  private static final File CHROMIUM = new File("/usr/bin/chromium");
  private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path profiles;

  private ReactiveWs server;
  private final List<WebDriver> browsers = new ArrayList<>();

  @BeforeEach
  void startServer() throws Exception {
    assertThat(CHROMIUM.canExecute() && CHROMEDRIVER.canExecute())
        .as("%s and %s are needed: run scripts/install-test-tools.sh", CHROMIUM, CHROMEDRIVER)
        .isTrue();
    server = ChatApp.start(0);
  }

  @AfterEach
  void stopEverything() throws Exception {
    try {
      for (WebDriver browser : browsers) {
        try {
          browser.quit();
        } catch (RuntimeException e) {
          // A browser that already died must not keep the others (or the server) running.
        }
      }
    } finally {
      if (server != null) server.stop();
    }
  }

  @Test
  void twoBrowsersChatWithEachOther() throws Exception {
    String page = "http://127.0.0.1:" + server.port() + "/";
    WebDriver alice = openBrowser("alice", page);
    WebDriver bob = openBrowser("bob", page);

    for (WebDriver browser : List.of(alice, bob)) {
      waiting().untilAsserted(() -> {
        assertThat(text(browser, "status")).isEqualTo("Connected, Users: 2");
        assertThat(text(browser, "users")).isEqualTo("2");
      });
    }

    say(alice, "hello from alice");
    String aliceLine = awaitOwnLine(alice, "hello from alice");
    String aliceId = userOf(aliceLine);
    waiting().untilAsserted(() -> assertThat(messages(bob)).contains(aliceLine));

    say(bob, "hi alice, bob here");
    String bobLine = awaitOwnLine(bob, "hi alice, bob here");
    String bobId = userOf(bobLine);
    waiting().untilAsserted(() -> assertThat(messages(alice)).contains(bobLine));

    assertThat(bobId).isNotEqualTo(aliceId);
    // Both pages show the same history, in the same order.
    waiting().untilAsserted(() -> {
      assertThat(messages(alice)).containsSubsequence(aliceLine, bobLine);
      assertThat(messages(bob)).isEqualTo(messages(alice));
    });
    for (WebDriver browser : List.of(alice, bob)) {
      assertThat(browser.findElement(By.id("error")).isDisplayed())
          .as("error banner: %s", text(browser, "error"))
          .isFalse();
    }
  }

  /** Starts one Chromium with its own profile and driver process, and opens the chat. */
  private WebDriver openBrowser(String name, String page) throws Exception {
    Path profile = Files.createDirectories(profiles.resolve(name));
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER)
        .usingAnyFreePort()
        .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-dev-shm-usage",
        "--user-data-dir=" + profile.toAbsolutePath());
    WebDriver browser = new ChromeDriver(service, options);
    browsers.add(browser);
    browser.get(page);
    return browser;
  }

  /** Types a line and presses Enter, as a user would; the page clears the input once sent. */
  private void say(WebDriver browser, String text) {
    browser.findElement(By.id("input")).sendKeys(text, Keys.ENTER);
    waiting().untilAsserted(() ->
        assertThat(browser.findElement(By.id("input")).getDomProperty("value")).isEmpty());
  }

  /** Waits until the sender's own page shows its line, which the server tags with its user id. */
  private String awaitOwnLine(WebDriver browser, String text) {
    return waiting().until(
        () -> messages(browser).stream().filter(line -> line.endsWith(": " + text)).findFirst().orElse(null),
        Objects::nonNull);
  }

  private static String userOf(String line) {
    String user = line.substring(0, line.indexOf(": "));
    assertThat(user).as("user of '%s'", line).isNotBlank().isNotEqualTo("anonymous");
    return user;
  }

  /** The chat lines as shown, {@code user: text} each. */
  private static List<String> messages(WebDriver browser) {
    Object lines = ((JavascriptExecutor) browser).executeScript(
        "return Array.from(document.querySelectorAll('#messages li'), li => li.textContent)");
    List<String> result = new ArrayList<>();
    if (lines instanceof List<?> list) list.forEach(line -> result.add(String.valueOf(line)));
    return result;
  }

  /** The text of an element as the user sees it (hidden parts excluded). */
  private static String text(WebDriver browser, String id) {
    return browser.findElement(By.id(id)).getText();
  }

  private static ConditionFactory waiting() {
    return await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        // The page re-renders while it is read; a node gone a moment ago is not a failure.
        .ignoreExceptionsMatching(e ->
            e instanceof StaleElementReferenceException || e instanceof NoSuchElementException);
  }
}
