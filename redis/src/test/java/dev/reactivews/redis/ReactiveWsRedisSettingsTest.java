package dev.reactivews.redis;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisConnectionException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Settings a node refuses before it connects, and a Redis that is not there at start. */
@Timeout(60)
class ReactiveWsRedisSettingsTest {
  @Test
  void badSettingsAreRefusedWithTheirName() {
    assertThatThrownBy(() -> ReactiveWsRedis.builder("redis://127.0.0.1:1").loadEnvironment(Map.of("REDIS_PRESENCE_TTL", "soon")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("REDIS_PRESENCE_TTL");
    assertThatThrownBy(() -> ReactiveWsRedis.builder("redis://127.0.0.1:1").presenceTtl(Duration.ofMillis(10)).connect())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("presenceTtl");
    assertThatThrownBy(() -> ReactiveWsRedis.builder("redis://127.0.0.1:1").keyPrefix(" ").connect())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("keyPrefix");
    assertThatThrownBy(() -> ReactiveWsRedis.builder("redis://127.0.0.1:1")
            .loadEnvironment(Map.of("REDIS_HEALTH_CHECK_INTERVAL", "often")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("REDIS_HEALTH_CHECK_INTERVAL");
    assertThatThrownBy(() -> ReactiveWsRedis.builder("redis://127.0.0.1:1")
            .loadEnvironment(Map.of("REDIS_MAX_PENDING_PUBLISH_BYTES", "16MiB")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("REDIS_MAX_PENDING_PUBLISH_BYTES");
    assertThatThrownBy(() -> ReactiveWsRedis.builder("redis://127.0.0.1:1").healthCheckInterval(Duration.ofMillis(10)).connect())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("healthCheckInterval");
    assertThatThrownBy(() -> ReactiveWsRedis.builder("redis://127.0.0.1:1").maxPendingPublishBytes(0).connect())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxPendingPublishBytes");
    assertThatThrownBy(() -> ReactiveWsRedis.connect("http://not-redis"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aRedisThatIsNotThereAtStartFailsTheConnect() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      closedPort = socket.getLocalPort();
    }
    assertThatThrownBy(() -> ReactiveWsRedis.connect("redis://127.0.0.1:" + closedPort))
        .isInstanceOf(RedisConnectionException.class)
        .hasMessageContaining(Integer.toString(closedPort));
  }
}
