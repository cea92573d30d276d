package dev.reactivews.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reactivews.WsHandler;
import dev.reactivews.cluster.Backplane;
import dev.reactivews.cluster.BackplaneOverloadedException;
import dev.reactivews.testing.HookLog;
import dev.reactivews.testing.LogCapture;
import dev.reactivews.testing.TestServer;
import dev.reactivews.testing.WsRecorder;
import dev.reactivews.transport.OutboundFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A hook whose publish the backplane refuses as overloaded: the peer is answered each time, the
 * log gets the peer's first such refusal and not one line (with a stack trace) per message.
 */
@Timeout(30)
class BackplaneOverloadTest {
  private static final int MESSAGES = 30;

  /** A backplane whose broker is stalled for good: every publish is over its bound. */
  private static final class StalledBackplane implements Backplane {
    @Override
    public void start(Delivery delivery) {}

    @Override
    public void subscribe(String topic) {}

    @Override
    public void unsubscribe(String topic) {}

    @Override
    public void publish(String topic, OutboundFrame frame, long epoch, long version) {
      throw new BackplaneOverloadedException("16 MiB of publishes wait for the broker already");
    }
  }

  private TestServer server;

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  @Test
  void aHookWhosePublishIsRefusedAsOverloadedIsAnsweredEveryTimeAndLoggedOnce() {
    HookLog log = new HookLog();
    WsHandler handler = log.handler()
        .onMessage((peer, message) -> peer.publishState("chat", message.text()))
        .build();
    server = TestServer.of(NettyTransport.start(cfg -> cfg.handler(handler).backplane(new StalledBackplane())));
    WsRecorder client = server.connect();
    try (LogCapture logs = LogCapture.start()) {
      for (int n = 0; n < MESSAGES; n++) {
        client.send("line " + n);
      }
      for (int n = 0; n < MESSAGES; n++) {
        assertThat(client.nextError().get("code").asString()).isEqualTo("server_error");
      }
      assertThat(logs.lines()).filteredOn(line -> line.contains("could not publish")).hasSize(1);
      assertThat(logs.text()).doesNotContain("hook failed").doesNotContain("BackplaneOverloadedException");
    }
    // The error hook runs after the peer got its error frame: the last one may still be on its way.
    await().untilAsserted(() ->
        assertThat(log.eventsStartingWith("error ")).hasSize(MESSAGES).containsOnly("error BackplaneOverloadedException"));
  }
}
