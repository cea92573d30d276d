package dev.reactivews.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reactivews.testing.LogCapture;
import dev.reactivews.testing.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the server says at start-up about where it listens. */
@Timeout(60)
class BindAddressTest {
  private static final String HELLO = "GET /api/hello HTTP/1.1\r\nHost: x\r\n\r\n";

  @Test
  void byDefaultItListensOnEveryInterfaceAndSaysSoWithThePortItGot() {
    try (LogCapture logs = LogCapture.start(); NettyTransport.Running server = NettyTransport.start(cfg -> {})) {
      // The IPv4 wildcard where the machine has no IPv6, else the IPv6 one, which takes IPv4 too.
      await().until(() -> logs.text().matches("(?s).*reactive-ws listening on (0\\.0\\.0\\.0|::) port "
          + server.port() + ", every interface of this machine .*"));
    }
  }

  @Test
  void onAHostItListensThereOnlyAndSaysWhere() {
    try (LogCapture logs = LogCapture.start();
        NettyTransport.Running server = NettyTransport.start(cfg -> cfg.host("127.0.0.1").get("/api/hello", ctx -> "hello"))) {
      await().until(() -> logs.text().contains("reactive-ws listening on 127.0.0.1 port " + server.port() + " ("));
      assertThat(logs.text()).doesNotContain("every interface");
      assertThat(RawHttp.exchange(server.port(), HELLO).body()).isEqualTo("hello");
    }
  }
}
