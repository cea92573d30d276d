package dev.reactivews.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reactivews.Message;
import dev.reactivews.Peer;
import dev.reactivews.WsHandler;
import dev.reactivews.netty.ReactiveWs;
import dev.reactivews.testing.TestTool;
import dev.reactivews.testing.WsRecorder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import tools.jackson.databind.JsonNode;

/**
 * The React adapter (src/react.js) with React from the npm registry, in real headless Chromium
 * against a real reactive-ws server: the page (testing/react-page, bundled by the build into
 * the test class path) renders the 'chat' state, publishes through the hook, follows a changed
 * topic list and closes its connection when unmounted, while a component with {@code autoClose:
 * false} keeps its own. The server keeps 'chat' as the list of every line published to it.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ReactAdapterBrowserTest {

  @TempDir Path profile;
  private final List<String> lines = new ArrayList<>();
  private ReactiveWs server;
  private ChromeDriver browser;

  @BeforeEach
  void start() {
    WsHandler chat = WsHandler.builder().onMessage(this::keepLine).build();
    server = ReactiveWs.create(cfg -> cfg
            .host("127.0.0.1")
            .ws(ws -> ws.route("/_ws"))
            .handler(chat)
            .staticFiles("react-page"))
        .start(0);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(TestTool.CHROMIUM.path().toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--no-first-run", "--disable-background-networking", "--user-data-dir=" + profile);
    browser = new ChromeDriver(new ChromeDriverService.Builder()
        .usingDriverExecutable(TestTool.CHROMEDRIVER.path().toFile()).usingAnyFreePort().build(), options);
  }

  @AfterEach
  void stop() {
    if (browser != null) browser.quit();
    if (server != null) server.stop();
  }

  @Test
  void aComponentRendersStatesPublishesFollowsItsTopicsAndClosesOnUnmount() throws Exception {
    browser.get("http://127.0.0.1:" + server.port() + "/");
    waiting().until(() -> text("status").equals("OPEN") && text("kept-status").equals("OPEN"));
    // React's StrictMode mounted each component twice: one connection each is left.
    assertThat(server.peerCount()).isEqualTo(2);

    try (WsRecorder watcher = WsRecorder.connect(server.port(), "/_ws")) {
      watcher.subscribe("chat").publish("chat", "\"hello from java\"");
      waiting().until(() -> renderedLines().equals(List.of("hello from java")));

      browser.findElement(By.id("say")).click();
      JsonNode state = watcher.nextState("chat");
      while (state.size() < 2) state = watcher.nextState("chat");
      assertThat(state.get(1).asString()).isEqualTo("hello from react 1");
      waiting().until(() -> renderedLines().equals(List.of("hello from java", "hello from react 1")));

      // A new topic list subscribes the new topic; the server delivers to it once the subscribe is in.
      browser.findElement(By.id("follow-notices")).click();
      waiting().until(() -> server.publisher().publish("notices", "first notice") == 1);
      waiting().until(() -> text("notice").equals("first notice"));

      browser.findElement(By.id("unmount")).click();
      waiting().until(() -> text("gone").equals("unmounted"));
      // autoClose: the chat component's connection is gone; the watcher's and the kept one remain.
      waiting().until(() -> server.peerCount() == 2);
      watcher.publish("chat", "\"after the unmount\"");
      waiting().until(() -> browser.executeScript("return window.kept.status + ' ' + window.kept.states.chat.at(-1)")
          .equals("OPEN after the unmount"));
    }
  }

  @Test
  void theServerServesTheAdapterBesideTheClient() throws Exception {
    HttpResponse<String> adapter = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/_reactive-ws/react.js")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(adapter.statusCode()).isEqualTo(200);
    assertThat(adapter.headers().firstValue("content-type")).hasValueSatisfying(type -> assertThat(type).contains("javascript"));
    assertThat(adapter.body()).contains("useSyncExternalStore", "from './reactive-ws.js'");
  }

  /** Appends a line published to 'chat' and sends every subscriber, the sender too, the whole list. */
  private void keepLine(Peer peer, Message message) {
    JsonNode json = message.json();
    if (!"publish".equals(json.path("type").asString()) || !"chat".equals(json.path("topic").asString())) return;
    synchronized (lines) {
      lines.add(json.path("payload").asString());
      server.publisher().publish("chat", List.copyOf(lines));
    }
  }

  private String text(String id) {
    return browser.findElement(By.id(id)).getText();
  }

  private List<String> renderedLines() {
    return browser.findElements(By.cssSelector("#lines li")).stream().map(WebElement::getText).toList();
  }

  private static ConditionFactory waiting() {
    return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).ignoreExceptions();
  }
}
