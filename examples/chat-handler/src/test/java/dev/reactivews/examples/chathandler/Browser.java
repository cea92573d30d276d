package dev.reactivews.examples.chathandler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reactivews.testing.TestTool;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.awaitility.core.ConditionFactory;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * One real headless Chromium for a test class: each {@link Page} is a window of it, with its own
 * document and WebSocket, so several "users" cost one browser start.
 *
 * <p>Chromium and chromedriver are those on {@code PATH}, or the files {@code CHROMIUM} and {@code
 * CHROMEDRIVER} name ({@link TestTool}); {@code scripts/install-test-tools.sh} installs them.
 * Naming both binaries keeps Selenium Manager from ever downloading a browser or a driver.
 */
public final class Browser implements AutoCloseable {
  public static final Duration WAIT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ChromeDriver driver;
  /** The first window; it stays open (on about:blank) so that closing the pages keeps the session. */
  private final String home;
  private final List<Page> pages = new ArrayList<>();

  private Browser(ChromeDriver driver) {
    this.driver = driver;
    this.home = driver.getWindowHandle();
  }

  /** Starts Chromium with a fresh profile in the folder; fails, saying how to get them, without Chromium or chromedriver. */
  public static Browser start(Path profiles) throws IOException {
    File chromium = TestTool.CHROMIUM.path().toFile();
    File chromedriver = TestTool.CHROMEDRIVER.path().toFile();
    Path profile = Files.createTempDirectory(profiles, "chromium");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(chromedriver)
        .usingAnyFreePort()
        .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium);
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-dev-shm-usage",
        // Windows of one browser must not slow each other's timers down (reconnect, heartbeat).
        "--disable-background-timer-throttling",
        "--disable-renderer-backgrounding",
        "--disable-backgrounding-occluded-windows",
        "--user-data-dir=" + profile.toAbsolutePath());
    return new Browser(new ChromeDriver(service, options));
  }

  /** Opens the URL in a new window. */
  public Page open(String url) {
    driver.switchTo().window(home);
    driver.switchTo().newWindow(WindowType.WINDOW);
    Page page = new Page(driver.getWindowHandle());
    pages.add(page);
    driver.get(url);
    return page;
  }

  /** Closes every page opened so far (their WebSockets close with them). */
  public void closePages() {
    for (Page page : pages) {
      try {
        driver.switchTo().window(page.handle);
        driver.close();
      } catch (RuntimeException e) {
        // A window that is gone already needs no closing.
      }
    }
    pages.clear();
    driver.switchTo().window(home);
  }

  @Override
  public void close() {
    driver.quit();
  }

  /** Waits up to {@link #WAIT}, polling; a node re-rendered while being read is not a failure. */
  public static ConditionFactory waiting() {
    return await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptionsMatching(e ->
            e instanceof StaleElementReferenceException || e instanceof NoSuchElementException);
  }

  /** One window. Every method first brings its window to the front of the driver. */
  public final class Page {
    private final String handle;

    private Page(String handle) {
      this.handle = handle;
    }

    private WebDriver focus() {
      if (!handle.equals(driver.getWindowHandle())) {
        driver.switchTo().window(handle);
      }
      return driver;
    }

    /** The text of an element as the user sees it (hidden parts excluded). */
    public String text(String id) {
      return focus().findElement(By.id(id)).getText();
    }

    /** The chat lines as shown, {@code user: text} each. */
    public List<String> messages() {
      Object lines = script("return Array.from(document.querySelectorAll('#messages li'), li => li.textContent)");
      List<String> result = new ArrayList<>();
      if (lines instanceof List<?> list) {
        list.forEach(line -> result.add(String.valueOf(line)));
      }
      return result;
    }

    /** Types a line and presses Enter, as a user would; the page clears the input once sent (or buffered). */
    public void say(String text) {
      focus().findElement(By.id("input")).sendKeys(text, Keys.ENTER);
      waiting().untilAsserted(() ->
          assertThat(focus().findElement(By.id("input")).getDomProperty("value")).isEmpty());
    }

    /** Waits until this page shows its own line, which the server tags with its user id; returns the line. */
    public String awaitOwnLine(String text) {
      return waiting().until(
          () -> messages().stream().filter(line -> line.endsWith(": " + text)).findFirst().orElse(null),
          Objects::nonNull);
    }

    /** How many chat lines end with the text. */
    public long count(String text) {
      return messages().stream().filter(line -> line.endsWith(": " + text)).count();
    }

    /** Runs a script in this window; returns what it returns. */
    public Object script(String script, Object... args) {
      return ((JavascriptExecutor) focus()).executeScript(script, args);
    }

    /**
     * Runs a script that ends by calling its last argument ({@code arguments[arguments.length - 1]})
     * with a string: "ok", or what went wrong.
     */
    public void asyncScript(String script, Object... args) {
      Object result = ((JavascriptExecutor) focus()).executeAsyncScript(script, args);
      assertThat(result).as("script result").isEqualTo("ok");
    }

    /** The value of a JavaScript expression that yields JSON-able data, read as JSON. */
    public JsonNode json(String expression) {
      Object text = script("return JSON.stringify(" + expression + ")");
      return JSON.readTree(String.valueOf(text));
    }
  }
}
