package dev.reactivews.examples.chathandler;

import static dev.reactivews.examples.chathandler.Browser.waiting;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivews.examples.chathandler.Browser.Page;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * nuxt-ws's chat example as users see it, in real headless Chromium against the real server: the plain
 * page and the Vue page, two users chatting, a full history, and a page that lives through a
 * server restart.
 */
public abstract class ChatBrowserSuite extends BrowserSuite {
  @Test
  public void twoPagesChatWithEachOther() {
    Page alice = browser.open(url("/"));
    Page bob = browser.open(url("/"));
    for (Page page : List.of(alice, bob)) {
      waiting().untilAsserted(() -> {
        assertThat(page.text("status")).isEqualTo("Connected, Users: 2");
        assertThat(page.text("users")).isEqualTo("2");
      });
    }

    alice.say("hello from alice");
    String aliceLine = alice.awaitOwnLine("hello from alice");
    waiting().untilAsserted(() -> assertThat(bob.messages()).contains(aliceLine));

    bob.say("hi alice, bob here");
    String bobLine = bob.awaitOwnLine("hi alice, bob here");
    waiting().untilAsserted(() -> assertThat(alice.messages()).contains(bobLine));

    assertThat(userOf(bobLine)).isNotEqualTo(userOf(aliceLine));
    // Both pages show the same history, in the same order.
    waiting().untilAsserted(() -> {
      assertThat(alice.messages()).containsSubsequence(aliceLine, bobLine);
      assertThat(bob.messages()).isEqualTo(alice.messages());
    });
    for (Page page : List.of(alice, bob)) {
      assertThat(page.script("return document.getElementById('error').hidden"))
          .as("error banner: %s", page.text("error"))
          .isEqualTo(true);
    }
  }

  @Test
  public void vuePageRendersStatesAndTheUserCount() throws Exception {
    Page vue = browser.open(url("/vue.html"));
    waiting().untilAsserted(() -> assertThat(vue.text("status")).isEqualTo("Connected, Users: 1"));
    // Vue came from the server itself, not from a CDN.
    assertThat(vue.script("return performance.getEntriesByType('resource').map(e => e.name)"))
        .asString()
        .contains(url("/vendor/vue.esm-browser.prod.js"), url("/_reactive-ws/vue.js"));

    Page plain = browser.open(url("/"));
    for (Page page : List.of(vue, plain)) {
      waiting().untilAsserted(() -> assertThat(page.text("status")).isEqualTo("Connected, Users: 2"));
    }

    vue.say("hello from vue");
    String vueLine = vue.awaitOwnLine("hello from vue");
    waiting().untilAsserted(() -> assertThat(plain.messages()).contains(vueLine));
    plain.say("hello from the plain page");
    String plainLine = plain.awaitOwnLine("hello from the plain page");
    waiting().untilAsserted(() -> assertThat(vue.messages()).containsExactly(vueLine, plainLine));

    Notifications.trigger(server.port(), "a notification for vue");
    waiting().untilAsserted(() -> assertThat(vue.text("notification")).isEqualTo("a notification for vue"));

    // A line longer than the input allows (set around its maxlength) is refused by the server's
    // validation; the error frame shows on the Vue page, and the connection stays.
    vue.script("""
        const input = document.getElementById('input')
        input.value = 'x'.repeat(2001)
        input.dispatchEvent(new Event('input'))
        input.form.requestSubmit()""");
    waiting().untilAsserted(() -> assertThat(vue.text("error")).contains("payload.text"));
    assertThat(vue.text("status")).isEqualTo("Connected, Users: 2");
  }

  @Test
  public void aPageLivesThroughAServerRestartAndGetsItsStatesBack() throws Exception {
    int port = server.port();
    Page page = browser.open(url("/"));
    waiting().untilAsserted(() -> assertThat(page.text("status")).isEqualTo("Connected, Users: 1"));
    page.say("before the restart");
    page.awaitOwnLine("before the restart");

    server.close();
    waiting().untilAsserted(() -> assertThat(page.text("status")).isEqualTo("Disconnected"));
    // Sent while the server is down: buffered, and it must arrive exactly once.
    page.say("sent while the server was down");

    server = startOnPort(port);
    waiting().untilAsserted(() -> {
      assertThat(page.text("status")).isEqualTo("Connected, Users: 1");
      assertThat(page.count("sent while the server was down")).isEqualTo(1);
    });
    // 'notifications' was subscribed again on the new connection.
    Notifications.trigger(server.port(), "after the restart");
    waiting().untilAsserted(() -> assertThat(page.text("notification")).isEqualTo("after the restart"));
    page.say("marker after the restart");
    page.awaitOwnLine("marker after the restart");
    assertThat(page.count("sent while the server was down")).isEqualTo(1);
  }

  /**
   * Both pages key their items by line id: once the history is full, a new line drops the oldest,
   * and every other line keeps the item that showed it (and any text selected in it).
   */
  @Test
  public void aFullHistoryDropsItsOldestLineAndEachPageKeepsTheItemsOfTheOthers() {
    server.states().list(ChatHandler.CHAT, ChatHandler.ChatLine.class).appendAll(IntStream
        .rangeClosed(1, ChatHandler.MAX_HISTORY)
        .mapToObj(n -> new ChatHandler.ChatLine("line-" + n, "user-" + n, "line " + n))
        .toList());
    Page plain = browser.open(url("/"));
    Page vue = browser.open(url("/vue.html"));
    for (Page page : List.of(plain, vue)) {
      waiting().untilAsserted(() -> assertThat(page.messages()).hasSize(ChatHandler.MAX_HISTORY));
      page.script("document.querySelector('#messages li:nth-child(2)').dataset.mark = 'line 2'");
    }

    plain.say("one more");
    for (Page page : List.of(plain, vue)) {
      page.awaitOwnLine("one more");
      List<String> shown = page.messages();
      assertThat(shown).hasSize(ChatHandler.MAX_HISTORY);
      assertThat(shown.getFirst()).endsWith(": line 2");
      assertThat(page.script("return document.querySelector('#messages li').dataset.mark"))
          .as("the item that showed line 2").isEqualTo("line 2");
    }
    List<String> ids = server.states().list(ChatHandler.CHAT, ChatHandler.ChatLine.class).read().value().stream()
        .map(ChatHandler.ChatLine::id).toList();
    assertThat(plain.script("return Array.from(document.querySelectorAll('#messages li'), li => li.dataset.id)"))
        .isEqualTo(ids);
  }

  /** A new chat on the port the old one had; the port may take a moment to be free again. */
  private RunningChat startOnPort(int port) {
    AtomicReference<RunningChat> started = new AtomicReference<>();
    waiting().pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
      started.set(startChat(port));
      return true;
    });
    return started.get();
  }

  private static String userOf(String line) {
    String user = line.substring(0, line.indexOf(": "));
    assertThat(user).as("user of '%s'", line).isNotBlank().isNotEqualTo("anonymous");
    return user;
  }
}
