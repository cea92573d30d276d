package dev.reactivews;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reactivews.state.StateTopic;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class WsConfigTest {
  @Test
  void defaultsAreTheDocumentedOnes() {
    WsConfig config = WsConfig.defaultSettings();
    assertThat(config.route()).isEqualTo("/_ws");
    assertThat(config.defaultTopics()).isEmpty();
    assertThat(config.internalTopics()).isEmpty();
    assertThat(config.maxMessageBytes()).isEqualTo(64 * 1024);
    assertThat(config.maxJsonDepth()).isEqualTo(32);
    assertThat(config.outboundBufferBytes()).isEqualTo(1024 * 1024);
    assertThat(config.idleTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(config.maxMessagesPerSecond()).isEqualTo(200);
    assertThat(config.maxQueuedMessages()).isEqualTo(256);
    assertThat(config.maxConnections()).isEqualTo(10_000);
  }

  @Test
  void builderSetsEverythingAndToBuilderCopies() {
    WsConfig config = WsConfig.builder()
        .route("/live").defaults("session", "chat").internals("_internal").subprotocols("chat.v2", "chat.v1")
        .maxMessageBytes(1024).maxJsonDepth(4).outboundBufferBytes(4096)
        .idleTimeout(Duration.ofMillis(600)).maxMessagesPerSecond(0).maxQueuedMessages(8).maxConnections(2)
        .build();
    assertThat(config.maxConnections()).isEqualTo(2);
    assertThat(config.defaultTopics()).containsExactly("session", "chat");
    assertThat(config.internalTopics()).containsExactly("_internal");
    assertThat(config.subprotocols()).containsExactly("chat.v2", "chat.v1");
    assertThatThrownBy(() -> config.defaultTopics().add("x")).isInstanceOf(UnsupportedOperationException.class);

    WsConfig copy = config.toBuilder().route("/other").build();
    assertThat(copy.route()).isEqualTo("/other");
    assertThat(copy.toString()).isEqualTo(config.toString().replace("/live", "/other"));
  }

  @Test
  void buildRefusesWhatCannotWork() {
    assertInvalid(b -> b.route("ws"), "route");
    assertInvalid(b -> b.defaults(" "), "blank");
    assertInvalid(b -> b.internals(""), "blank");
    assertInvalid(b -> b.defaults("a").internals("a"), "both default and internal");
    assertInvalid(b -> b.maxMessageBytes(0), "maxMessageBytes");
    assertInvalid(b -> b.maxJsonDepth(-1), "maxJsonDepth");
    assertInvalid(b -> b.outboundBufferBytes(0), "outboundBufferBytes");
    assertInvalid(b -> b.maxQueuedMessages(0), "maxQueuedMessages");
    assertInvalid(b -> b.maxMessagesPerSecond(-1), "maxMessagesPerSecond");
    assertInvalid(b -> b.maxConnections(-1), "maxConnections");
    assertInvalid(b -> b.idleTimeout(Duration.ofMillis(1)), "idleTimeout");
    assertInvalid(b -> b.defaults("a", "b").internals("c").maxTopicsPerPeer(2), "maxTopicsPerPeer");
    assertInvalid(b -> b.idleTimeout(Duration.ofSeconds(-5)), "idleTimeout");
  }

  private static void assertInvalid(Consumer<WsConfig.Builder> change, String mention) {
    WsConfig.Builder builder = WsConfig.builder();
    change.accept(builder);
    assertThatThrownBy(builder::build).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(mention);
  }

  @Test
  void loadsProperties() {
    Properties properties = new Properties();
    properties.setProperty("ws.route", " /live ");
    properties.setProperty("ws.topics.defaults", "session, chat,,");
    properties.setProperty("ws.topics.internals", "_internal");
    properties.setProperty("ws.limits.max-message-bytes", "2048");
    properties.setProperty("ws.limits.max-json-depth", "8");
    properties.setProperty("ws.limits.outbound-buffer-bytes", "65536");
    properties.setProperty("ws.limits.idle-timeout", "500ms");
    properties.setProperty("ws.limits.max-messages-per-second", "10");
    properties.setProperty("ws.limits.max-queued-messages", "16");
    properties.setProperty("ws.limits.max-connections", "500");
    properties.setProperty("unrelated", "x");

    WsConfig config = WsConfig.builder().load(properties).build();
    assertThat(config.route()).isEqualTo("/live");
    assertThat(config.defaultTopics()).containsExactly("session", "chat");
    assertThat(config.internalTopics()).containsExactly("_internal");
    assertThat(config.maxMessageBytes()).isEqualTo(2048);
    assertThat(config.maxJsonDepth()).isEqualTo(8);
    assertThat(config.outboundBufferBytes()).isEqualTo(65536);
    assertThat(config.idleTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(config.maxMessagesPerSecond()).isEqualTo(10);
    assertThat(config.maxQueuedMessages()).isEqualTo(16);
    assertThat(config.maxConnections()).isEqualTo(500);
  }

  @Test
  void durationsComeInSeveralForms() {
    assertThat(idleTimeoutOf("PT2S")).isEqualTo(Duration.ofSeconds(2));
    assertThat(idleTimeoutOf("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(idleTimeoutOf("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(idleTimeoutOf("45")).isEqualTo(Duration.ofSeconds(45));
  }

  private static Duration idleTimeoutOf(String value) {
    Properties properties = new Properties();
    properties.setProperty("ws.limits.idle-timeout", value);
    return WsConfig.builder().load(properties).build().idleTimeout();
  }

  @Test
  void aBadValueNamesItsKey() {
    Properties properties = new Properties();
    properties.setProperty("ws.limits.max-message-bytes", "lots");
    assertThatThrownBy(() -> WsConfig.builder().load(properties))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ws.limits.max-message-bytes")
        .hasMessageContaining("lots");
  }

  @Test
  void loadsTheEnvironment() {
    WsConfig config = WsConfig.builder().loadEnvironment(Map.of(
            "WS_ROUTE", "/env",
            "WS_TOPICS_DEFAULTS", "session",
            "WS_LIMITS_IDLE_TIMEOUT", "PT10S",
            "WS_LIMITS_MAX_MESSAGES_PER_SECOND", "0",
            "WS_LIMITS_MAX_CONNECTIONS", "0",
            "PATH", "/usr/bin"))
        .build();
    assertThat(config.route()).isEqualTo("/env");
    assertThat(config.defaultTopics()).containsExactly("session");
    assertThat(config.idleTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.maxMessagesPerSecond()).isZero();
    assertThat(config.maxConnections()).isZero();
    assertThat(config.maxMessageBytes()).isEqualTo(64 * 1024);
  }

  @Test
  void keptHeadersAndAllowedOriginsLoadAndAnOriginThatCanNeverMatchIsRefused() {
    Properties properties = new Properties();
    properties.setProperty("ws.kept-headers", "Cookie, X-Client");
    properties.setProperty("ws.allowed-origins", "https://chat.example.com, https://*.example.org");
    WsConfig config = WsConfig.builder().load(properties).build();
    assertThat(config.keptHeaders()).containsExactly("Cookie", "X-Client");
    assertThat(config.allowedOrigins()).containsExactly("https://chat.example.com", "https://*.example.org");
    assertThat(WsConfig.defaultSettings().keptHeaders()).isEmpty();
    assertThat(WsConfig.defaultSettings().allowedOrigins()).isEmpty();

    assertInvalid(b -> b.allowedOrigins("chat.example.com"), "chat.example.com");
    assertInvalid(b -> b.keptHeaders(" "), "kept header");
  }

  @Test
  void theShutdownTimeoutLoadsAndMustNotBeNegative() {
    assertThat(WsConfig.defaultSettings().shutdownTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(WsConfig.builder().loadEnvironment(Map.of("WS_SHUTDOWN_TIMEOUT", "250ms")).build().shutdownTimeout())
        .isEqualTo(Duration.ofMillis(250));
    assertInvalid(b -> b.shutdownTimeout(Duration.ofSeconds(-1)), "shutdownTimeout");
  }

  @Test
  void theStateCheckIntervalLoadsMayBeZeroAndMustNotBeNegative() {
    assertThat(WsConfig.defaultSettings().stateCheckInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(WsConfig.builder().loadEnvironment(Map.of("WS_STATE_CHECK_INTERVAL", "2s")).build().stateCheckInterval())
        .isEqualTo(Duration.ofSeconds(2));
    assertThat(WsConfig.builder().stateCheckInterval(Duration.ZERO).build().stateCheckInterval()).isZero();
    assertInvalid(b -> b.stateCheckInterval(Duration.ofMillis(-1)), "stateCheckInterval");
  }

  @Test
  void stateTopicsLoadAsNameAndKindSplitAtTheLastColon() {
    Properties properties = new Properties();
    properties.setProperty("ws.topics.states", "chat:list, board:MAP, room:*:list, settings, flags:value");
    WsConfig config = WsConfig.builder().load(properties).build();
    assertThat(config.stateTopics()).containsExactly(StateTopic.list("chat"), StateTopic.map("board"),
        StateTopic.list("room:*"), StateTopic.value("settings"), StateTopic.value("flags"));
    assertThat(config.stateTopic("room:42")).isEqualTo(StateTopic.list("room:*"));
    assertThat(config.stateTopic("chat")).isEqualTo(StateTopic.list("chat"));
    assertThat(config.stateTopic("chatter")).isNull();
    assertThat(WsConfig.defaultSettings().stateTopics()).isEmpty();
    assertThat(config.toBuilder().build().stateTopics()).isEqualTo(config.stateTopics());

    assertThat(WsConfig.builder().loadEnvironment(Map.of("WS_TOPICS_STATES", "presence:map")).build().stateTopics())
        .containsExactly(StateTopic.map("presence"));
  }

  @Test
  void aStateTopicOfAnUnknownKindNamesItsKey() {
    Properties properties = new Properties();
    properties.setProperty("ws.topics.states", "room:a");
    assertThatThrownBy(() -> WsConfig.builder().load(properties))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ws.topics.states")
        .hasRootCauseMessage("'room:a' ends in 'a', not a kind: write name:list, name:map or name:value");
  }

  @Test
  void twoDeclarationsOfOneTopicAreRefused() {
    assertInvalid(b -> b.states(StateTopic.list("chat"), StateTopic.map("chat")), "'chat' and 'chat'");
    assertInvalid(b -> b.states(StateTopic.list("room:*"), StateTopic.value("room:1")), "'room:*' and 'room:1'");
    assertInvalid(b -> b.states(StateTopic.map("room:1"), StateTopic.list("room:*")), "'room:1' and 'room:*'");
    assertInvalid(b -> b.states(StateTopic.list("ro*"), StateTopic.list("room:*")), "'ro*' and 'room:*'");
    assertThat(WsConfig.builder().states(StateTopic.list("room:*"), StateTopic.list("rooms"), StateTopic.map("r"))
        .build().stateTopics()).hasSize(3);
    assertThatThrownBy(() -> StateTopic.list(" ")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("blank");
  }

  @Test
  void relayedTopicsLoadAsNamesAndPrefixesAndAreNeitherInternalNorState() {
    Properties properties = new Properties();
    properties.setProperty("ws.topics.relays", "cursor:*, bench");
    WsConfig config = WsConfig.builder().load(properties).build();
    assertThat(config.relayTopics()).containsExactly("cursor:*", "bench");
    assertThat(config.isRelayed("cursor:7")).isTrue();
    assertThat(config.isRelayed("bench")).isTrue();
    assertThat(config.isRelayed("benches")).isFalse();
    assertThat(config.toBuilder().build().relayTopics()).isEqualTo(config.relayTopics());
    assertThat(WsConfig.defaultSettings().relayTopics()).isEmpty();
    assertThat(WsConfig.builder().loadEnvironment(Map.of("WS_TOPICS_RELAYS", "a")).build().isRelayed("a")).isTrue();

    assertInvalid(b -> b.relays("room:*").states(StateTopic.list("room:chat")), "state topic 'room:chat'");
    assertInvalid(b -> b.relays("chat").states(StateTopic.list("c*")), "state topic 'c*'");
    assertInvalid(b -> b.relays("_*").internals("_presence"), "internal topic '_presence'");
    assertInvalid(b -> b.relays(" "), "blank");
  }
}
