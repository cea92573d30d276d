package dev.reactivews.examples.chathandler;

import static dev.reactivews.examples.chathandler.Browser.waiting;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivews.examples.chathandler.Browser.Page;
import dev.reactivews.examples.chathandler.ChatHandler.ChatLine;
import dev.reactivews.state.ListState;
import dev.reactivews.testing.TcpProxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The browser client as the server serves it ({@code /_reactive-ws/client.js}), in real headless
 * Chromium against the running chat: each test loads the chat page and starts extra clients
 * ("probes") in it with the options under test, then drives and reads them.
 */
public abstract class BrowserClientSuite extends BrowserSuite {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  public void topicsChangedAtRunTimeAreSubscribedAndUnsubscribed() throws Exception {
    Page page = openChat();
    startProbe(page, "probe", List.of(), Map.of());
    awaitOpen(page, "probe");

    page.script("window.probes.probe.ws.topics.add('notifications')");
    awaitProcessed(page, "probe", "after subscribe");
    assertThat(Notifications.trigger(server.port(), "first")).as("delivered to the chat page and the probe").isEqualTo(2);
    waiting().until(() -> notification(page, "probe").equals("first"));

    page.script("window.probes.probe.ws.topics.delete('notifications')");
    awaitProcessed(page, "probe", "after unsubscribe");
    assertThat(Notifications.trigger(server.port(), "second")).as("delivered to the chat page only").isEqualTo(1);
    // The chat page got 'second' over its own connection; by then the probe would have too.
    waiting().untilAsserted(() -> assertThat(page.text("notification")).isEqualTo("second"));
    awaitProcessed(page, "probe", "marker");
    assertThat(notification(page, "probe")).isEqualTo("first");

    page.script("window.probes.probe.ws.topics.replace(['chat', 'notifications'])");
    awaitProcessed(page, "probe", "after replace");
    assertThat(Notifications.trigger(server.port(), "third")).isEqualTo(2);
    waiting().until(() -> notification(page, "probe").equals("third"));
  }

  @Test
  public void messagesSentBeforeOpenArriveOnceInOrder() {
    Page page = openChat();
    startProbe(page, "early", List.of("chat"), Map.of("immediate", false));
    page.script("""
        const ws = window.probes.early.ws
        window.earlyResults = ['one', 'two', 'three'].map(text => ws.send('publish', 'chat', { text: 'early ' + text }))
        ws.open()""");
    assertThat(page.script("return window.earlyResults")).isEqualTo(List.of(true, true, true));
    awaitOpen(page, "early");
    awaitProcessed(page, "early", "after the early ones");

    List<String> texts = chatTexts(page, "early");
    assertThat(texts).containsSubsequence("early one", "early two", "early three", "after the early ones");
    for (String text : List.of("early one", "early two", "early three")) {
      assertThat(texts).as("copies of '%s'", text).containsOnlyOnce(text);
    }
    // The chat page shows each of them once, too.
    waiting().untilAsserted(() -> assertThat(page.count("after the early ones")).isEqualTo(1));
    for (String text : List.of("early one", "early two", "early three")) {
      assertThat(page.count(text)).as("lines '%s'", text).isEqualTo(1);
    }
  }

  @Test
  public void theHeartbeatDetectsASilentServerAndTheClientConnectsAgain() {
    try (TcpProxy proxy = TcpProxy.start(server.port())) {
      // The page comes through the proxy too: a socket to another origin than the page's would be refused.
      Page page = openChat("http://127.0.0.1:" + proxy.port() + "/");
      String viaProxy = "ws://127.0.0.1:" + proxy.port() + "/_ws";
      startProbe(page, "beating", List.of("chat"), Map.of(
          "url", viaProxy,
          "heartbeat", Map.of("interval", 300, "pongTimeout", 700),
          "autoReconnect", Map.of("delay", 200, "maxDelay", 1000)));
      // The same connection without a heartbeat: it cannot tell a silent server from a quiet one.
      startProbe(page, "unaware", List.of("chat"), Map.of("url", viaProxy));
      awaitOpen(page, "beating");
      awaitOpen(page, "unaware");
      waiting().until(() -> page.json("window.probes.beating.ws.states.session").has("users"));

      proxy.silence();
      waiting().until(() -> !"OPEN".equals(status(page, "beating")));
      assertThat(status(page, "unaware")).isEqualTo("OPEN");
      List<String> statuses = statuses(page, "beating");
      assertThat(statuses).containsSubsequence("OPEN", "CLOSED");

      proxy.resume();
      awaitOpen(page, "beating");
      // A new connection: the server sent this peer its session state again, and it works.
      waiting().until(() -> statuses(page, "beating").lastIndexOf("OPEN") > statuses.indexOf("CLOSED"));
      awaitProcessed(page, "beating", "after the silence");
      assertThat(status(page, "unaware")).isEqualTo("OPEN");
    }
  }

  @Test
  public void aPageCutOffAndBackGetsOnlyTheLinesItMissedWhileOneWithoutDeltasGetsTheWholeList() {
    ListState<ChatLine> chat = server.states().list("chat", ChatLine.class);
    for (int i = 0; i < 40; i++) {
      chat.append(new ChatLine("before-" + i, "history", "a line of the history, number " + i));
    }
    try (TcpProxy proxy = TcpProxy.start(server.port())) {
      Page page = openChat("http://127.0.0.1:" + proxy.port() + "/");
      countChatBytes(page);
      String viaProxy = "ws://127.0.0.1:" + proxy.port() + "/_ws";
      Map<String, Object> reconnect = Map.of("delay", 100, "maxDelay", 200);
      startProbe(page, "deltas", List.of("chat"), Map.of("url", viaProxy + "?probe=deltas", "autoReconnect", reconnect));
      startProbe(page, "whole", List.of("chat"),
          Map.of("url", viaProxy + "?probe=whole", "autoReconnect", reconnect, "deltas", false));
      for (String probe : List.of("deltas", "whole")) {
        waiting().until(() -> chatTexts(page, probe).size() == 40);
      }

      proxy.silence();
      proxy.dropConnections();
      for (String probe : List.of("deltas", "whole")) {
        waiting().until(() -> !"OPEN".equals(status(page, probe)));
      }
      List<String> missed = List.of("missed one", "missed two", "missed three");
      for (String text : missed) {
        chat.append(new ChatLine(text, "writer", text));
      }
      proxy.resume();

      for (String probe : List.of("deltas", "whole")) {
        waiting().until(() -> chatTexts(page, probe).size() == 43);
        assertThat(chatTexts(page, probe)).endsWith(missed.toArray(String[]::new));
      }
      long missedBytes = missed.stream().mapToLong(text -> json(new ChatLine(text, "writer", text)).length()).sum();
      long wholeList = json(chat.read().value()).length();
      // What each probe got on the chat topic since its first connection, counted from the browser's frames.
      long deltas = chatBytesAfterTheFirstConnection(page, "probe=deltas");
      long whole = chatBytesAfterTheFirstConnection(page, "probe=whole");
      assertThat(deltas).as("the three patches, against %d bytes of the lines they add", missedBytes)
          .isPositive().isLessThanOrEqualTo(3 * missedBytes);
      assertThat(whole).as("the whole list again").isGreaterThanOrEqualTo(wholeList);
    }
  }

  // --- helpers ---

  private Page openChat() {
    return openChat(url("/"));
  }

  private Page openChat(String pageUrl) {
    Page page = browser.open(pageUrl);
    waiting().untilAsserted(() -> assertThat(page.text("status")).startsWith("Connected"));
    return page;
  }

  private static String json(Object value) {
    return JSON.writeValueAsString(value);
  }

  /**
   * From now on every WebSocket the page opens counts the UTF-8 bytes of the chat frames it
   * receives, in {@code window.chatBytes}: one entry per socket, with its URL.
   */
  private static void countChatBytes(Page page) {
    page.script("""
        const Native = window.WebSocket
        window.chatBytes = []
        window.WebSocket = class extends Native {
          constructor(...args) {
            super(...args)
            const counted = { url: String(args[0]), bytes: 0 }
            window.chatBytes.push(counted)
            this.addEventListener('message', (event) => {
              if (typeof event.data === 'string' && event.data.startsWith('{"topic":"chat"')) {
                counted.bytes += new TextEncoder().encode(event.data).length
              }
            })
          }
        }""");
  }

  /** The chat bytes received by the sockets whose URL has {@code marker}, but the first. */
  private static long chatBytesAfterTheFirstConnection(Page page, String marker) {
    JsonNode sockets = page.json("window.chatBytes.filter((s) => s.url.includes('" + marker + "')).map((s) => s.bytes)");
    assertThat(sockets.size()).as("sockets of " + marker).isGreaterThan(1);
    long bytes = 0;
    for (int i = 1; i < sockets.size(); i++) {
      bytes += sockets.get(i).asLong();
    }
    return bytes;
  }

  /** Starts a client in the page with the served module, as {@code window.probes[name]}; it records every status. */
  private static void startProbe(Page page, String name, List<String> topics, Map<String, Object> options) {
    page.asyncScript("""
        const [name, topics, options, done] = arguments
        import('/_reactive-ws/client.js').then(({ useWS }) => {
          const ws = useWS(topics, options)
          const probe = { ws, statuses: [ws.status] }
          ws.subscribe((snapshot) => {
            if (probe.statuses.at(-1) !== snapshot.status) probe.statuses.push(snapshot.status)
          })
          window.probes = { ...window.probes, [name]: probe }
          done('ok')
        }, (error) => done(String(error)))""", name, topics, options);
  }

  private static void awaitOpen(Page page, String probe) {
    waiting().until(() -> "OPEN".equals(status(page, probe)));
  }

  private static String status(Page page, String probe) {
    return String.valueOf(page.script("return window.probes[arguments[0]].ws.status", probe));
  }

  private static List<String> statuses(Page page, String probe) {
    List<String> statuses = new ArrayList<>();
    page.json("window.probes['" + probe + "'].statuses").forEach(status -> statuses.add(status.asString()));
    return statuses;
  }

  private static String notification(Page page, String probe) {
    return page.json("window.probes['" + probe + "'].ws.states.notifications?.message ?? null").asString();
  }

  /** The texts of the probe's chat state, in order. */
  private static List<String> chatTexts(Page page, String probe) {
    List<String> texts = new ArrayList<>();
    page.json("window.probes['" + probe + "'].ws.states.chat ?? []").forEach(line -> texts.add(line.path("text").asString()));
    return texts;
  }

  /**
   * Publishes a chat line from the probe and waits until the chat page shows it, and the probe's
   * chat state has it when the probe is subscribed to {@code chat} (the chat's state reaches its
   * subscribers only): the server handles a peer's frames in order, so everything the probe sent
   * before has been handled too.
   */
  private static void awaitProcessed(Page page, String probe, String marker) {
    page.script("window.probes[arguments[0]].ws.send('publish', 'chat', { text: arguments[1] })", probe, marker);
    waiting().until(() -> page.count(marker) == 1
        && (!Boolean.TRUE.equals(page.script("return window.probes[arguments[0]].ws.topics.has('chat')", probe))
            || chatTexts(page, probe).contains(marker)));
  }
}
