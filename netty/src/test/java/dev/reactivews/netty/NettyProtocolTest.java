package dev.reactivews.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reactivews.testing.RawWebSocket;
import dev.reactivews.testing.TestServer;
import dev.reactivews.testing.WsTransport;
import dev.reactivews.testing.suite.ProtocolSuite;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The protocol suite on Netty, and the answers Netty gives where other transports may differ. */
class NettyProtocolTest extends ProtocolSuite {
  @Override
  protected WsTransport transport() {
    return new NettyTransport();
  }

  @Test
  void aCloseFrameWithoutACodeIsAnsweredWithoutOneAndReported1005() {
    start(UnaryOperator.identity());
    RawWebSocket client = server.raw(Map.of());
    client.sendFrame(RawWebSocket.CLOSE, true, new byte[0]);
    assertThat(client.awaitClose()).as("an empty close frame back").isEqualTo(1005);
    log.awaitEvent("close 1005");
  }

  @Test
  void aStoppedServerRefusesToStartAgain() {
    NettyTransport.Running running = NettyTransport.start(cfg -> cfg.handler(log.handler().build()));
    server = TestServer.of(running);
    running.close();
    assertThatThrownBy(() -> running.reactiveWs().start(0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot start again");
  }
}
