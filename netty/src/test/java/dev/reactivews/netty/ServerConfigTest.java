package dev.reactivews.netty;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The HTTP limits of {@link ServerConfig} refuse values that could not bound anything. */
class ServerConfigTest {
  private static void assertInvalid(Consumer<ServerConfig> setting, String message) {
    assertThatThrownBy(() -> ReactiveWs.create(setting)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void timeLimitsArePositive() {
    assertInvalid(cfg -> cfg.requestHeadTimeout(Duration.ZERO), "timeout must be positive");
    assertInvalid(cfg -> cfg.requestTimeout(Duration.ofSeconds(-1)), "timeout must be positive");
    assertInvalid(cfg -> cfg.routeTimeout(Duration.ZERO), "timeout must be positive");
  }

  @Test
  void sizesAndCountsAreNotNegative() {
    assertInvalid(cfg -> cfg.maxRequestBodyBytes(-1), "bytes < 0");
    assertInvalid(cfg -> cfg.maxRequestBodiesInFlight(-1), "bytes < 0");
    assertInvalid(cfg -> cfg.maxHttpConnections(-1), "connections < 0");
    assertInvalid(cfg -> cfg.maxHttpConnectionsPerAddress(-1), "connections < 0");
  }
}
