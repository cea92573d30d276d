package dev.reactivews.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reactivews.WsConfig;
import dev.reactivews.WsHandler;
import dev.reactivews.testing.RawWebSocket;
import dev.reactivews.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The peer-count hook runs at most once per 100 ms, and its last run has the final count. */
class PeerCountHookTest {
  private static final int CROWD = 40;
  /** The interval less what a hook thread may take to record its start after the throttle's. */
  private static final long MIN_GAP_NANOS = Duration.ofMillis(90).toNanos();

  private record Run(long startNanos, int count) {}

  private final List<Run> runs = new CopyOnWriteArrayList<>();
  private final List<RawWebSocket> clients = new ArrayList<>();
  private TestServer server;

  @AfterEach
  void stop() throws Exception {
    clients.forEach(RawWebSocket::close);
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aCrowdJoiningGetsFewerRunsThanJoinsAtMostOnePer100MsAndTheLastWithTheFinalCount() {
    server = TestServer.start(new NettyTransport(), WsConfig.builder().route("/_ws").build(),
        WsHandler.builder().onPeerCountChanged((count, thisNode) -> runs.add(new Run(System.nanoTime(), count))).build());

    clients.add(server.raw(Map.of()));
    await().atMost(Duration.ofSeconds(10)).until(() -> lastCount() == 1);
    for (int i = 1; i < CROWD; i++) {
      clients.add(server.raw(Map.of()));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> lastCount() == CROWD);
    clients.forEach(RawWebSocket::close);
    await().atMost(Duration.ofSeconds(10)).until(() -> lastCount() == 0);

    assertThat(runs.size()).as("runs for %d joins and %d leaves", CROWD, CROWD).isLessThan(2 * CROWD);
    for (int i = 1; i < runs.size(); i++) {
      assertThat(runs.get(i).startNanos() - runs.get(i - 1).startNanos())
          .as("gap before run %d of %s", i, runs).isGreaterThanOrEqualTo(MIN_GAP_NANOS);
    }
  }

  private int lastCount() {
    return runs.isEmpty() ? -1 : runs.getLast().count();
  }
}
