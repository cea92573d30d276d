package dev.reactivews.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reactivews.WsHandler;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The proxy other tests rely on to fake a silent or broken network. */
@Timeout(60)
class TcpProxyTest {
  private static final Duration QUIET_PERIOD = Duration.ofMillis(300);

  @Test
  void holdsBytesWhileSilentAndDeliversThemInOrderOnResume() throws Exception {
    try (TestServer server = TestServer.start(cfg -> cfg.handler(WsHandler.builder().build()));
        TcpProxy proxy = TcpProxy.start(server.port());
        WsRecorder client = WsRecorder.connect(
            URI.create("ws://127.0.0.1:" + proxy.port() + server.server().config().route()), Map.of())) {
      client.send("ping");
      assertThat(client.next()).isEqualTo("pong");

      proxy.silence();
      client.send("ping").send("ping");
      await().during(QUIET_PERIOD).atMost(WsRecorder.TIMEOUT).until(() -> client.received().size() == 1);

      proxy.resume();
      assertThat(client.next()).isEqualTo("pong");
      assertThat(client.next()).isEqualTo("pong");
    }
  }

  @Test
  void dropConnectionsClosesTheClientAndAcceptsNewOnes() throws Exception {
    try (TestServer server = TestServer.start(cfg -> cfg.handler(WsHandler.builder().build()));
        TcpProxy proxy = TcpProxy.start(server.port())) {
      URI uri = URI.create("ws://127.0.0.1:" + proxy.port() + server.server().config().route());
      WsRecorder first = WsRecorder.connect(uri, Map.of());
      await().until(() -> proxy.openSockets() == 2);

      proxy.dropConnections();
      await().until(first::isClosed);
      await().until(() -> server.server().peers().isEmpty());

      try (WsRecorder second = WsRecorder.connect(uri, Map.of())) {
        second.send("ping");
        assertThat(second.next()).isEqualTo("pong");
      }
    }
  }
}
