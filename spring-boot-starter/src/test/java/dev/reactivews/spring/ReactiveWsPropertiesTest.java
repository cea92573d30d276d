package dev.reactivews.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reactivews.WsConfig;
import dev.reactivews.state.StateTopic;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The {@code ws:} block as Spring binds it, and the core config it makes. */
class ReactiveWsPropertiesTest {
  private static ReactiveWsProperties bind(Map<String, String> properties) {
    return new Binder(new MapConfigurationPropertySource(properties))
        .bindOrCreate("ws", ReactiveWsProperties.class);
  }

  @Test
  void theSeedsBlockAndTheLimitsBindToTheCoreConfig() {
    ReactiveWsProperties properties = bind(Map.of(
        "ws.route", "/_ws",
        "ws.topics.defaults[0]", "session",
        "ws.topics.internals", "_internal,_audit",
        "ws.subprotocols", "chat.v2,chat.v1",
        "ws.limits.max-message-bytes", "2048",
        "ws.limits.idle-timeout", "30s",
        "ws.limits.max-messages-per-second", "50",
        "ws.storage.driver", "fs",
        "ws.storage.dir", "/tmp/chat",
        "ws.storage.redis.presence-ttl", "1500ms"));

    WsConfig config = properties.toWsConfig();
    assertThat(config.route()).isEqualTo("/_ws");
    assertThat(config.defaultTopics()).containsExactly("session");
    assertThat(config.internalTopics()).containsExactly("_internal", "_audit");
    assertThat(config.subprotocols()).containsExactly("chat.v2", "chat.v1");
    assertThat(config.maxMessageBytes()).isEqualTo(2048);
    assertThat(config.idleTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.maxMessagesPerSecond()).isEqualTo(50);
    assertThat(properties.getStorage().getDriver()).isEqualTo(ReactiveWsProperties.Driver.FS);
    assertThat(properties.getStorage().getDir()).hasToString("/tmp/chat");
    assertThat(properties.getStorage().getRedis().getPresenceTtl()).isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void theShutdownTimeoutTheStateCheckAndTheRedisSettingsBind() {
    ReactiveWsProperties properties = bind(Map.of(
        "ws.shutdown-timeout", "750ms",
        "ws.state-check-interval", "3s",
        "ws.storage.redis.max-pending-publish-bytes", "65536",
        "ws.storage.redis.health-check-interval", "2s"));
    assertThat(properties.toWsConfig().shutdownTimeout()).isEqualTo(Duration.ofMillis(750));
    assertThat(properties.toWsConfig().stateCheckInterval()).isEqualTo(Duration.ofSeconds(3));
    assertThat(properties.getStorage().getRedis().getMaxPendingPublishBytes()).isEqualTo(65536L);
    assertThat(properties.getStorage().getRedis().getHealthCheckInterval()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void stateTopicsBindAsAListOfObjects() {
    ReactiveWsProperties properties = bind(Map.of(
        "ws.topics.states[0].topic", "chat",
        "ws.topics.states[0].kind", "list",
        "ws.topics.states[0].max-items", "500",
        "ws.topics.states[1].topic", "room:*",
        "ws.topics.states[1].kind", "MAP",
        "ws.topics.states[2].topic", "settings"));
    assertThat(properties.toWsConfig().stateTopics()).containsExactly(
        StateTopic.list("chat").maxItems(500), StateTopic.map("room:*"), StateTopic.value("settings"));

    assertThatThrownBy(() -> bind(Map.of("ws.topics.states[0].topic", "board", "ws.topics.states[0].kind", "map",
        "ws.topics.states[0].max-items", "5")).toWsConfig())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxItems is for a list, and 'board' is a map");
    assertThatThrownBy(() -> bind(Map.of("ws.topics.states[0].kind", "list")).toWsConfig())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs a topic");
  }

  @Test
  void unsetKeysAreTheCoreDefaults() {
    assertThat(bind(Map.of()).toWsConfig()).hasToString(WsConfig.defaultSettings().toString());
  }

  @Test
  void anOutOfRangeValueIsRefusedByName() {
    ReactiveWsProperties properties = bind(Map.of("ws.limits.outbound-buffer-bytes", "0"));
    assertThatThrownBy(properties::toWsConfig)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("outboundBufferBytes");
  }

  @Test
  void aTopicBothDefaultAndInternalIsRefused() {
    ReactiveWsProperties properties = bind(Map.of("ws.topics.defaults", "chat", "ws.topics.internals", "chat"));
    assertThatThrownBy(properties::toWsConfig).hasMessageContaining("both default and internal: chat");
  }
}
