package dev.reactivews.testing.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.reactivews.UpgradeRejectedException;
import dev.reactivews.WsConfig;
import dev.reactivews.WsHandler;
import dev.reactivews.testing.HookLog;
import dev.reactivews.testing.RawHttp;
import dev.reactivews.testing.RawWebSocket;
import dev.reactivews.testing.TestServer;
import dev.reactivews.testing.WsRecorder;
import dev.reactivews.testing.WsTransport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/**
 * The upgrade hook: refusing with a status before any socket opens, and attaching context. What
 * every transport must pass; a transport runs it by naming itself in a subclass.
 */
@Timeout(60)
public abstract class UpgradeSuite {
  protected final HookLog log = new HookLog();
  // Each test sets it (start()) before use: null only between tests.
  @SuppressWarnings("NullAway.Init")
  protected TestServer server;

  /** The transport under test. */
  protected abstract WsTransport transport();

  @AfterEach
  public void stop() throws Exception {
    server.close();
  }

  /**
   * A server at {@code /_ws} whose open hook sends the peer's context and request as state {@code
   * me}; its peers keep the headers {@code X-Client} and {@code Cookie}.
   */
  protected void start(WsHandler.UpgradeHook upgrade) {
    start(config -> config, upgrade);
  }

  /** As {@link #start(WsHandler.UpgradeHook)}, with more settings. */
  protected void start(UnaryOperator<WsConfig.Builder> settings, WsHandler.UpgradeHook upgrade) {
    WsHandler handler = log.handler()
        .onUpgrade(upgrade)
        .onOpen(peer -> {
          log.add("open");
          Map<String, Object> seen = new LinkedHashMap<>(peer.context());
          seen.put("header", String.valueOf(peer.request().header("X-Client")));
          seen.put("other", String.valueOf(peer.request().header("X-Other")));
          seen.put("room", String.valueOf(peer.request().query("room")));
          seen.put("cookie", String.valueOf(peer.request().cookie("sid")));
          seen.put("path", peer.request().path());
          peer.sendState("me", seen);
        })
        .build();
    WsConfig config = settings.apply(WsConfig.builder().route("/_ws").keptHeaders("X-Client", "Cookie")).build();
    server = TestServer.start(transport(), config, handler);
  }

  private static int refusedStatus(Runnable connect) {
    Throwable thrown = catchThrowable(connect::run);
    assertThat(thrown).isInstanceOf(CompletionException.class);
    if (thrown.getCause() instanceof WebSocketHandshakeException refused) {
      return refused.getResponse().statusCode();
    }
    throw new AssertionError("expected a refused handshake, got " + thrown);
  }

  @Test
  public void aRefusalIsAnHttpStatusAndNoPeerEverOpens() {
    start(request -> {
      String token = request.query("token");
      if (token == null) {
        throw UpgradeRejectedException.unauthorized();
      }
      if (!token.equals("good")) {
        throw UpgradeRejectedException.forbidden();
      }
    });
    assertThat(refusedStatus(() -> server.connect())).isEqualTo(401);
    assertThat(refusedStatus(() -> server.connect("?token=bad", Map.of()))).isEqualTo(403);
    assertThat(server.server().peers()).isEmpty();

    // The refused never opened: the one open hook that ran is the accepted connection's.
    WsRecorder accepted = server.connect("?token=good", Map.of());
    accepted.nextState("me");
    assertThat(log.events()).containsExactly("open");
    assertThat(server.server().peers()).hasSize(1);
  }

  @Test
  public void aRefusalAnswersTheRawHandshakeWithTheStatusAndCloses() {
    start(request -> {
      throw new UpgradeRejectedException(429, "Slow down");
    });
    try (RawWebSocket raw = RawWebSocket.connect(server.port(), "/_ws", Map.of())) {
      assertThat(raw.status()).isEqualTo(429);
      assertThat(raw.header("Upgrade")).isNull();
      assertThat(raw.awaitEndOfStream()).isTrue();
    }
    assertThat(log.events()).isEmpty();
  }

  @Test
  public void anAcceptedRequestPassesItsAttributesHeadersQueryAndCookiesToThePeer() {
    start(request -> request.context("user", "ann").context("role", Objects.requireNonNull(request.header("X-Client"), "X-Client")));
    WsRecorder client = server.connect("?room=a%20b", Map.of("X-Client", "tests", "Cookie", "sid=s-1; theme=dark"));
    JsonNode me = client.nextState("me");
    assertThat(me.get("user").asString()).isEqualTo("ann");
    assertThat(me.get("role").asString()).isEqualTo("tests");
    assertThat(me.get("header").asString()).isEqualTo("tests");
    assertThat(me.get("room").asString()).isEqualTo("a b");
    assertThat(me.get("cookie").asString()).isEqualTo("s-1");
    assertThat(me.get("path").asString()).isEqualTo("/_ws");
    assertThat(server.server().peers().iterator().next().context()).containsEntry("user", "ann");
  }

  @Test
  public void aRequestToTheRouteThatIsNotAHandshakeIsAnsweredWithoutRunningTheHook() {
    start(request -> log.add("upgrade " + request.uri()));
    assertThat(server.get("/_ws").statusCode()).isBetween(400, 499);
    assertThat(server.http("POST", "/_ws", "{}").statusCode()).isBetween(400, 499);
    try (RawWebSocket raw = RawWebSocket.connect(server.port(), "/_ws?after=1", Map.of())) {
      assertThat(raw.status()).isEqualTo(101);
    }
    log.awaitEvent("open");
    assertThat(log.eventsStartingWith("upgrade ")).containsExactly("upgrade /_ws?after=1");
  }

  @Test
  public void aHandshakeWithAMalformedQueryIs400AndNoPeerOpens() {
    start(request -> log.add("upgrade " + request.uri()));
    try (RawWebSocket raw = RawWebSocket.connect(server.port(), "/_ws?room=%zz", Map.of())) {
      assertThat(raw.status()).isEqualTo(400);
    }
    assertThat(server.server().peers()).isEmpty();
    assertThat(log.eventsStartingWith("upgrade ")).isEmpty();
  }

  @Test
  public void onlyTheRouteItselfIsUpgraded() {
    start(request -> log.add("upgrade " + request.uri()));
    for (String path : new String[] {"/_ws/other", "/_wsx", "/other"}) {
      try (RawWebSocket raw = RawWebSocket.connect(server.port(), path, Map.of())) {
        assertThat(raw.status()).as(path).isEqualTo(404);
      }
    }
    try (RawWebSocket raw = RawWebSocket.connect(server.port(), "/_ws?a=1", Map.of())) {
      assertThat(raw.status()).isEqualTo(101);
    }
    log.awaitEvent("open");
    assertThat(log.events()).startsWith("upgrade /_ws?a=1", "open");
  }

  @Test
  public void theServerAnswersTheFirstOfferedSubprotocolItAccepts() throws Exception {
    WsConfig config = WsConfig.builder().route("/_ws").subprotocols("chat.v2", "chat.v1").build();
    server = TestServer.start(transport(), config, WsHandler.builder().build());
    WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
        .subprotocols("chat.v1", "other")
        .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/_ws"), new WebSocket.Listener() {})
        .get(10, TimeUnit.SECONDS);
    try {
      assertThat(socket.getSubprotocol()).isEqualTo("chat.v1");
    } finally {
      socket.abort();
    }
  }

  @Test
  public void aRefusalMessageThatCannotBeAStatusLineStillAnswersTheStatus() {
    start(request -> {
      throw new UpgradeRejectedException("none".equals(request.query("reason")) ? 401 : 403,
          "none".equals(request.query("reason")) ? null : "two\nlines");
    });
    assertThat(refusedStatus(() -> server.connect("?reason=none", Map.of()))).isEqualTo(401);
    assertThat(refusedStatus(() -> server.connect("?reason=newline", Map.of()))).isEqualTo(403);
    assertThat(server.server().peers()).isEmpty();
  }

  @Test
  public void anUpgradeHookThatFailsOtherwiseIs500() {
    start(request -> {
      throw new IllegalStateException("hook bug");
    });
    assertThat(refusedStatus(() -> server.connect())).isEqualTo(500);
    assertThat(server.server().peers()).isEmpty();
    assertThat(log.events()).isEmpty();
  }

  @Test
  public void theUpgradeHookMayBlockWithoutHoldingOtherConnections() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    start(request -> {
      if ("slow".equals(request.query("who"))) {
        release.await();
      }
    });
    Thread slow = Thread.ofVirtual().start(() -> server.connect("?who=slow", Map.of()).nextState("me"));
    WsRecorder fast = server.connect("?who=fast", Map.of());
    assertThat(fast.nextState("me").get("path").asString()).isEqualTo("/_ws");
    assertThat(server.server().peers()).hasSize(1);
    release.countDown();
    slow.join();
    assertThat(server.server().peers()).hasSize(2);
  }

  private int originStatus(String origin) {
    try (RawWebSocket raw = RawWebSocket.connect(server.port(), "/_ws", Map.of("Origin", origin))) {
      return raw.status();
    }
  }

  @Test
  public void aPageOfTheServersOwnOriginOrAClientWithoutOriginOpens() {
    start(request -> log.add("upgrade " + request.header("Origin")));
    assertThat(originStatus("http://127.0.0.1:" + server.port())).isEqualTo(101);
    server.connect().nextState("me");
    assertThat(log.eventsStartingWith("upgrade ")).containsExactly("upgrade http://127.0.0.1:" + server.port(), "upgrade null");
  }

  @Test
  public void aPageOfAnotherOriginIsRefused403BeforeTheUpgradeHookRuns() {
    start(request -> log.add("upgrade " + request.header("Origin")));
    assertThat(originStatus("https://evil.example")).isEqualTo(403);
    assertThat(originStatus("http://127.0.0.1:" + (server.port() == 65535 ? 1 : server.port() + 1))).isEqualTo(403);
    assertThat(originStatus("null")).as("a sandboxed frame or a local file").isEqualTo(403);
    assertThat(refusedStatus(() -> server.connect("", Map.of("Origin", "https://evil.example")))).isEqualTo(403);

    server.connect().nextState("me");
    assertThat(log.eventsStartingWith("upgrade ")).containsExactly("upgrade null");
    assertThat(server.server().peers()).hasSize(1);
  }

  @Test
  public void listedOriginsOpenExactlyOrAsSubdomainsOfAPattern() {
    start(config -> config.allowedOrigins("https://chat.example.com", "https://*.example.org"),
        request -> log.add("upgrade " + request.header("Origin")));
    assertThat(originStatus("https://chat.example.com")).isEqualTo(101);
    assertThat(originStatus("https://eu.example.org")).isEqualTo(101);
    assertThat(originStatus("https://example.org")).isEqualTo(403);
    assertThat(originStatus("http://chat.example.com")).isEqualTo(403);
    assertThat(log.eventsStartingWith("upgrade "))
        .containsExactly("upgrade https://chat.example.com", "upgrade https://eu.example.org");
  }

  @Test
  public void aPeerKeepsOnlyTheHeadersTheConfigNamesWhileTheUpgradeHookSawThemAll() {
    start(request -> request.context("hookSawOther", String.valueOf(request.header("X-Other")))
        .context("hookSawClient", String.valueOf(request.header("X-Client"))));
    JsonNode me = server.connect("", Map.of("X-Client", "tests", "X-Other", "secret")).nextState("me");
    assertThat(me.get("hookSawOther").asString()).isEqualTo("secret");
    assertThat(me.get("hookSawClient").asString()).isEqualTo("tests");
    assertThat(me.get("other").asString()).isEqualTo("null");
    assertThat(me.get("header").asString()).isEqualTo("tests");
    assertThat(server.server().peers().iterator().next().request().headerMap()).containsOnlyKeys("X-Client");
  }

  @Test
  public void aConnectionPastTheLimitOfItsAddressIsRefused429BeforeTheHookUntilOneCloses() {
    start(config -> config.maxConnectionsPerAddress(2), request -> log.add("upgrade"));
    WsRecorder first = server.connect();
    server.connect().nextState("me");
    first.nextState("me");

    try (RawWebSocket third = RawWebSocket.connect(server.port(), "/_ws", Map.of())) {
      assertThat(third.status()).isEqualTo(429);
    }
    assertThat(log.eventsStartingWith("upgrade")).hasSize(2);

    first.close();
    await().until(() -> server.server().peers().size() == 1);
    server.connect().nextState("me");
    assertThat(server.server().peers()).hasSize(2);
  }

  /**
   * Handshakes an RFC 6455 server must not upgrade: older drafts (versions 7 and 8) without an
   * {@code Upgrade} header or asking for another protocol, and version 13 without {@code Upgrade}.
   */
  private static final String[] NOT_RFC_6455_HANDSHAKES = {
      "Connection: keep-alive\r\nSec-WebSocket-Version: 8\r\n",
      "Connection: keep-alive\r\nSec-WebSocket-Version: 7\r\n",
      "Connection: Upgrade\r\nUpgrade: h2c\r\nSec-WebSocket-Version: 8\r\n",
      "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n",
  };

  /** Sends the handshake and returns the status it was answered with, whatever it is. */
  private int sendHandshake(String headers) {
    return RawHttp.exchange(server.port(), "GET /_ws HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" + headers + "\r\n").status();
  }

  @Test
  public void aHandshakeThatSkipsTheUpgradeHookNeverBecomesAPeerNorHoldsASlot() {
    start(config -> config.maxConnections(1), request -> log.add("upgrade"));
    for (int i = 0; i < 50; i++) {
      String handshake = NOT_RFC_6455_HANDSHAKES[i % NOT_RFC_6455_HANDSHAKES.length];
      assertThat(sendHandshake(handshake)).as(handshake).isNotEqualTo(101);
    }
    assertThat(server.server().peers()).isEmpty();
    server.connect().nextState("me");
    assertThat(log.events()).containsExactly("upgrade", "open");
    assertThat(server.server().peers()).hasSize(1);
  }
}
