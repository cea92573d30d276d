package dev.reactivews.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivews.UpgradeRejectedException;
import dev.reactivews.testing.RawWebSocket;
import dev.reactivews.testing.WsTransport;
import dev.reactivews.testing.suite.UpgradeSuite;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The upgrade suite on Netty, and the answers Netty gives where other transports may differ. */
class NettyUpgradeTest extends UpgradeSuite {
  @Override
  protected WsTransport transport() {
    return new NettyTransport();
  }

  @Test
  void aRefusalClosesTheConnection() {
    start(request -> {
      throw new UpgradeRejectedException(429, "Slow down");
    });
    try (RawWebSocket raw = server.raw(Map.of())) {
      assertThat(raw.status()).isEqualTo(429);
      assertThat(raw.awaitEndOfStream()).isTrue();
    }
  }
}
