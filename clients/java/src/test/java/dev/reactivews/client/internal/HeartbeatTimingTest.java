package dev.reactivews.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivews.client.Heartbeat;
import dev.reactivews.client.ReconnectPolicy;
import dev.reactivews.client.Status;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The heartbeat, on virtual time: pings at the interval, and a server that goes silent. */
@Timeout(10)
class HeartbeatTimingTest {
  private static final Duration NANO = Duration.ofNanos(1);
  private static final Duration INTERVAL = Duration.ofSeconds(30);
  private static final Duration PONG_TIMEOUT = Duration.ofSeconds(10);
  private static final Heartbeat HEARTBEAT = Heartbeat.builder().interval(INTERVAL).pongTimeout(PONG_TIMEOUT).build();
  private static final ReconnectPolicy EXACT = ReconnectPolicy.builder().jitter(0).build();

  @Test
  void aPingGoesOutEveryIntervalAndItsPongIsNotData() {
    VirtualClient v = new VirtualClient(ReconnectPolicy.never(), HEARTBEAT, 100);
    FakeSocket socket = v.open();
    v.runner.advanceBy(INTERVAL.minus(NANO));
    assertThat(socket.texts()).isEmpty();
    v.runner.advanceBy(NANO);
    assertThat(socket.texts()).containsExactly("ping");

    for (int beat = 2; beat <= 5; beat++) {
      v.runner.advanceBy(Duration.ofSeconds(1));
      socket.serverText("pong");
      v.runner.advanceBy(INTERVAL.minus(Duration.ofSeconds(1)));
      assertThat(socket.texts()).hasSize(beat).allMatch("ping"::equals);
    }
    assertThat(v.client.status()).isEqualTo(Status.OPEN);
    assertThat(v.client.data()).isNull();
    assertThat(v.errors).isEmpty();
  }

  @Test
  void aMissingPongClosesWithTimeoutCodeAndReconnects() {
    VirtualClient v = new VirtualClient(EXACT, HEARTBEAT, 100);
    FakeSocket socket = v.open();
    v.runner.advanceBy(INTERVAL);
    assertThat(socket.texts()).containsExactly("ping");

    v.runner.advanceBy(PONG_TIMEOUT.minus(NANO));
    assertThat(v.client.status()).isEqualTo(Status.OPEN);
    v.runner.advanceBy(NANO);
    assertThat(socket.sent).containsExactly("text:ping", "close 3008", "abort");
    assertThat(v.client.status()).isEqualTo(Status.CLOSED);
    assertThat(v.errors).singleElement().isInstanceOfSatisfying(HttpTimeoutException.class,
        e -> assertThat(e).hasMessage("the server did not answer the heartbeat within PT10S"));

    assertThat(v.awaitReconnect()).isEqualTo(Duration.ofSeconds(1));
    FakeSocket again = v.transport.accept();
    // The new connection beats on its own schedule, from its open.
    assertThat(again.sent).isEmpty();
    v.runner.advanceBy(INTERVAL);
    assertThat(again.texts()).containsExactly("ping");
  }

  @Test
  void anyMessageAfterThePingCountsAsAnAnswer() {
    VirtualClient v = new VirtualClient(ReconnectPolicy.never(), HEARTBEAT, 100);
    FakeSocket socket = v.open();
    v.runner.advanceBy(INTERVAL.plus(PONG_TIMEOUT).minus(NANO));
    socket.serverText("{\"topic\":\"chat\",\"payload\":\"hi\"}");
    v.runner.advanceBy(Duration.ofSeconds(1));
    assertThat(v.client.status()).isEqualTo(Status.OPEN);
    assertThat(v.client.states().json("chat").asString()).isEqualTo("hi");
    assertThat(socket.sent).doesNotContain("abort");
  }

  @Test
  void theHeartbeatStopsWithTheConnection() {
    VirtualClient v = new VirtualClient(ReconnectPolicy.never(), HEARTBEAT, 100);
    FakeSocket socket = v.open();
    v.runner.advanceBy(INTERVAL.plus(Duration.ofSeconds(1)));
    socket.serverText("pong");
    socket.serverClose(1001, "going away");
    v.runner.advanceBy(Duration.ofHours(1));
    assertThat(socket.sent).containsExactly("text:ping");
    assertThat(v.runner.pending()).isZero();
  }
}
