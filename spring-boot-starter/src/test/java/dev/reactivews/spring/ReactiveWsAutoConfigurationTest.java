package dev.reactivews.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.reactivews.WsCloseStatus;
import dev.reactivews.WsHandler;
import dev.reactivews.WsMetrics;
import dev.reactivews.WsPublisher;
import dev.reactivews.spring.SpringTestApps.MinimalApp;
import dev.reactivews.spring.internal.MicrometerMetrics;
import dev.reactivews.storage.Storage;
import dev.reactivews.storage.StorageDriver;
import dev.reactivews.testing.HookLog;
import dev.reactivews.testing.LogCapture;
import dev.reactivews.testing.RawWebSocket;
import dev.reactivews.testing.WsRecorder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The starter in real Spring Boot apps on a random port, with real WebSocket and HTTP clients. */
@Timeout(60)
class ReactiveWsAutoConfigurationTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  /** What the apps' hooks saw; static because the apps' beans reach it, fresh for every test. */
  private static volatile HookLog log = new HookLog();

  private final List<AutoCloseable> opened = new ArrayList<>();

  @BeforeEach
  void freshLog() {
    log = new HookLog();
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable resource : opened.reversed()) {
      resource.close();
    }
  }

  private ConfigurableApplicationContext start(List<Class<?>> sources, String... properties) {
    ConfigurableApplicationContext context = SpringTestApps.start(sources, properties);
    opened.add(context);
    return context;
  }

  private WsRecorder connect(ConfigurableApplicationContext context, String route) {
    WsRecorder client = WsRecorder.connect(SpringTestApps.port(context), route);
    opened.add(client);
    return client;
  }

  private static HttpResponse<String> get(ConfigurableApplicationContext context, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + SpringTestApps.port(context) + path))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A counter kept in the injected storage and published through the injected publisher. */
  @Configuration(proxyBeanMethods = false)
  static class CounterApp {
    @Bean
    WsHandler counter(Storage storage, WsPublisher publisher) {
      return WsHandler.defineWSHandler(h -> h
          .onOpen(peer -> peer.send(Map.of("count", storage.getItem("count", Integer.class) == null
              ? 0 : storage.getItem("count", Integer.class))))
          .onMessage((peer, message) -> {
            if ("inc".equals(message.text())) {
              int count = storage.update("count", Integer.class, n -> n == null ? 1 : n + 1);
              publisher.publish("counter", Map.of("count", count));
            }
          })
          .onClose((peer, event) -> {
            // Slow work in the close hook, which stopping must wait for.
            Thread.sleep(300);
            log.add("close " + event.code());
          }));
    }

    @RestController
    static class Hello {
      @GetMapping("/hello")
      String hello() {
        return "hello from the same port";
      }
    }
  }

  @Test
  void theHandlerBeanServesTheRouteOnTheAppsOwnPortWithTheInjectedStorageAndPublisher() throws Exception {
    ConfigurableApplicationContext context = start(List.of(MinimalApp.class, CounterApp.class),
        "ws.route=/live", "ws.topics.defaults=counter");

    WsRecorder client = connect(context, "/live");
    assertThat(client.next()).isEqualTo("{\"count\":0}");
    client.send("inc").send("inc");
    assertThat(client.nextState("counter").get("count").intValue()).isEqualTo(1);
    assertThat(client.nextState("counter").get("count").intValue()).isEqualTo(2);
    assertThat(context.getBean(Storage.class).getItem("count", Integer.class)).isEqualTo(2);

    assertThat(get(context, "/hello").body()).isEqualTo("hello from the same port");
  }

  record Line(String userName, Instant sentAt) {}

  @Configuration(proxyBeanMethods = false)
  static class LineApp {
    @Bean
    WsHandler lines(Storage storage) {
      Line line = new Line("ann", Instant.parse("2026-12-03T08:00:00Z"));
      return WsHandler.defineReactiveWSHandler(h -> h.onOpen(peer -> {
        storage.setItem("line", line);
        peer.sendState("chat", storage.getItem("line", Line.class));
      }));
    }
  }

  @Test
  void bootsJsonMapperWritesTheStatesAndTheStorage() {
    ConfigurableApplicationContext context = start(List.of(MinimalApp.class, LineApp.class),
        "spring.jackson.property-naming-strategy=SNAKE_CASE");
    WsRecorder client = connect(context, "/_ws");
    assertThat(client.next())
        .isEqualTo("{\"topic\":\"chat\",\"payload\":{\"user_name\":\"ann\",\"sent_at\":\"2026-12-03T08:00:00Z\"}}");
    assertThat(new String(context.getBean(StorageDriver.class).get("ws:line"), StandardCharsets.UTF_8))
        .isEqualTo("{\"user_name\":\"ann\",\"sent_at\":\"2026-12-03T08:00:00Z\"}");
    assertThat(SpringTestApps.engine(context).jsonMapper()).isSameAs(context.getBean(JsonMapper.class));
  }

  @Test
  void withoutAHandlerBeanTheFrameworkAloneAnswers() {
    ConfigurableApplicationContext context = start(List.of(MinimalApp.class), "ws.topics.defaults=news");
    WsRecorder client = connect(context, "/_ws");
    client.send("ping");
    assertThat(client.next()).isEqualTo("pong");
    await().until(() -> SpringTestApps.engine(context).peers().size() == 1);
    assertThat(context.getBean(WsPublisher.class).publish("news", "hi")).isEqualTo(1);
    assertThat(client.nextState("news").asString()).isEqualTo("hi");
  }

  @Test
  void theFsDriverKeepsTheStorageInFilesUnderItsFolder(@TempDir Path dir) throws IOException {
    ConfigurableApplicationContext context = start(List.of(MinimalApp.class),
        "ws.storage.driver=fs", "ws.storage.dir=" + dir, "ws.storage.namespace=chat");
    context.getBean(Storage.class).setItem("greeting", "hello");

    List<String> contents = new ArrayList<>();
    try (var files = Files.walk(dir)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        contents.add(Files.readString(file));
      }
    }
    assertThat(contents).anySatisfy(content -> assertThat(content).contains("hello"));
    assertThat(Storage.create(StorageDriver.fileSystem(dir), "chat").getItem("greeting", String.class))
        .isEqualTo("hello");
  }

  @Test
  void aMissingOrInvalidSettingStopsTheStartWithTheKeyInTheMessage() {
    assertThatThrownBy(() -> start(List.of(MinimalApp.class), "ws.storage.driver=fs"))
        .rootCause().hasMessageContaining("ws.storage.dir");
    assertThatThrownBy(() -> start(List.of(MinimalApp.class), "ws.storage.driver=redis"))
        .rootCause().hasMessageContaining("ws.storage.redis.url");
    assertThatThrownBy(() -> start(List.of(MinimalApp.class), "ws.limits.max-message-bytes=-1"))
        .rootCause().hasMessageContaining("maxMessageBytes");
    assertThatThrownBy(() -> start(List.of(MinimalApp.class), "ws.route=no-slash"))
        .rootCause().hasMessageContaining("route must start with '/'");
  }

  @Test
  void theBrowserClientAndThePublicConfigAreServedBesideTheRoute() throws Exception {
    ConfigurableApplicationContext context = start(List.of(MinimalApp.class),
        "ws.route=/_ws", "ws.topics.defaults=session", "ws.topics.internals=_internal");

    HttpResponse<String> client = get(context, "/_reactive-ws/client.js");
    assertThat(client.statusCode()).isEqualTo(200);
    assertThat(client.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/javascript"));
    assertThat(client.body()).contains("export");
    assertThat(client.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");

    JsonNode config = WsRecorder.parse(get(context, "/_reactive-ws/config.json").body());
    assertThat(config.get("route").asString()).isEqualTo("/_ws");
    assertThat(config.get("topics").get("defaults").get(0).asString()).isEqualTo("session");
    assertThat(config.get("topics").get("internals").get(0).asString()).isEqualTo("_internal");

    HttpResponse<String> missing = get(context, "/_reactive-ws/no-such-file.js");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(get(context, "/_reactive-ws/config.json").headers().firstValue("X-Content-Type-Options"))
        .hasValue("nosniff");
    assertThat(get(context, "/_reactive-ws/").statusCode()).isEqualTo(404);
  }

  /** A registry as the actuator would bring one. */
  @Configuration(proxyBeanMethods = false)
  static class MetricsApp {
    @Bean
    MeterRegistry meterRegistry() {
      return new SimpleMeterRegistry();
    }
  }

  @Test
  void micrometerCountsPeersFramesAndPublishes() {
    ConfigurableApplicationContext context = start(List.of(MinimalApp.class, MetricsApp.class), "ws.topics.defaults=news");
    MeterRegistry meters = context.getBean(MeterRegistry.class);
    assertThat(context.getBean(WsMetrics.class)).isInstanceOf(MicrometerMetrics.class);

    WsRecorder client = connect(context, "/_ws");
    client.send("ping");
    assertThat(client.next()).isEqualTo("pong");
    await().until(() -> meters.get("reactivews.peers").gauge().value() == 1);
    context.getBean(WsPublisher.class).publish("news", "hi");
    client.nextState("news");

    assertThat(meters.get("reactivews.frames").tag("direction", "in").counter().count()).isEqualTo(1);
    assertThat(meters.get("reactivews.frames").tag("direction", "out").counter().count()).isEqualTo(2);
    assertThat(meters.get("reactivews.publishes").counter().count()).isEqualTo(1);

    client.close();
    await().until(() -> meters.get("reactivews.peers").gauge().value() == 0);
    assertThat(meters.get("reactivews.peers.dropped").tag("reason", "slow-consumer").counter().count()).isZero();
  }

  @Test
  void aPeerThatStopsReadingIsClosed4008AndCountedAsDropped() {
    ConfigurableApplicationContext context = start(List.of(MinimalApp.class, MetricsApp.class),
        "ws.topics.defaults=news", "ws.limits.outbound-buffer-bytes=16384");
    MeterRegistry meters = context.getBean(MeterRegistry.class);
    RawWebSocket reader = RawWebSocket.connect(SpringTestApps.port(context), "/_ws", Map.of(), 4096);
    opened.add(reader);
    assertThat(reader.status()).isEqualTo(101);
    await().until(() -> SpringTestApps.engine(context).peers().size() == 1);

    String filler = "f".repeat(4096);
    WsPublisher publisher = context.getBean(WsPublisher.class);
    // Fast enough to fill the socket buffers between the two ends within the wait.
    await().pollInterval(Duration.ofMillis(10)).until(() -> {
      for (int n = 0; n < 50; n++) {
        publisher.publish("news", Map.of("filler", filler));
      }
      return meters.get("reactivews.peers.dropped").tag("reason", "slow-consumer").counter().count() == 1;
    });
    assertThat(meters.get("reactivews.peers").gauge().value()).isZero();
  }

  @Test
  void theClientFilesAnswerOnlyGetAndHead() throws Exception {
    ConfigurableApplicationContext context = start(List.of(MinimalApp.class));
    HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + SpringTestApps.port(context) + "/_reactive-ws/client.js"))
        .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
  }

  @Test
  void aPeerTheServerDropsIsCountedByReason() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    MicrometerMetrics metrics = new MicrometerMetrics(meters);
    metrics.peerOpened();
    metrics.peerOpened();
    metrics.peerOpened();
    metrics.peerClosed(WsCloseStatus.SLOW_CONSUMER.code());
    metrics.peerClosed(WsCloseStatus.RATE_LIMITED.code());
    metrics.peerClosed(WsCloseStatus.NORMAL.code());

    assertThat(meters.get("reactivews.peers.dropped").tag("reason", "slow-consumer").counter().count()).isEqualTo(1);
    assertThat(meters.get("reactivews.peers.dropped").tag("reason", "rate-limited").counter().count()).isEqualTo(1);
    assertThat(meters.get("reactivews.peers").gauge().value()).isZero();
  }

  /** Logs every upgrade the app's hook sees. */
  @Configuration(proxyBeanMethods = false)
  static class UpgradeLogApp {
    @Bean
    WsHandler upgradeLog() {
      return WsHandler.defineWSHandler(h -> h.onUpgrade(request -> log.add("upgrade " + request.header("Origin"))));
    }
  }

  @Test
  void aRefusedOriginIsAnswered403BeforeTheUpgradeHookRuns() {
    ConfigurableApplicationContext context = start(List.of(MinimalApp.class, UpgradeLogApp.class),
        "ws.allowed-origins=https://chat.example.com");
    URI route = URI.create("ws://127.0.0.1:" + SpringTestApps.port(context) + "/_ws");

    assertThatThrownBy(() -> HTTP.newWebSocketBuilder().header("Origin", "https://evil.example.com")
        .buildAsync(route, new java.net.http.WebSocket.Listener() {}).join())
        .isInstanceOf(CompletionException.class)
        .cause().isInstanceOfSatisfying(WebSocketHandshakeException.class,
            e -> assertThat(e.getResponse().statusCode()).isEqualTo(403));

    opened.add(WsRecorder.connect(route, Map.of("Origin", "https://chat.example.com")));
    log.awaitEvent("upgrade https://chat.example.com");
    assertThat(log.events()).containsExactly("upgrade https://chat.example.com");
  }

  @Test
  void stoppingTheAppClosesEveryPeerWith1001AfterTheirCloseHooksRan() {
    ConfigurableApplicationContext context = SpringTestApps.start(List.of(MinimalApp.class, CounterApp.class));
    WsRecorder first = connect(context, "/_ws");
    WsRecorder second = connect(context, "/_ws");
    first.next();
    second.next();

    try (LogCapture logs = LogCapture.start()) {
      context.close();

      assertThat(log.events()).as(() -> "the hooks seen; what stopping logged:\n" + logs.text())
          .containsExactly("close 1001", "close 1001");
    }
    assertThat(first.awaitClose()).isEqualTo(1001);
    assertThat(second.awaitClose()).isEqualTo(1001);
  }

  @Test
  void theKeysCarryMetadataForIdeCompletion() throws IOException {
    try (var in = getClass().getClassLoader().getResourceAsStream("META-INF/spring-configuration-metadata.json")) {
      JsonNode metadata = WsRecorder.parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
      List<String> names = new ArrayList<>();
      metadata.get("properties").forEach(p -> {
        names.add(p.get("name").asString());
        assertThat(p.has("description")).as(p.get("name").asString() + " has a description").isTrue();
      });
      assertThat(names).contains("ws.route", "ws.topics.defaults", "ws.topics.internals", "ws.storage.driver",
          "ws.storage.dir", "ws.storage.redis.url", "ws.limits.idle-timeout", "ws.allowed-origins");
    }
  }
}
