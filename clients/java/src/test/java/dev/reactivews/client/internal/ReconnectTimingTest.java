package dev.reactivews.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivews.client.ConnectionClosedException;
import dev.reactivews.client.Heartbeat;
import dev.reactivews.client.ReconnectPolicy;
import dev.reactivews.client.Status;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Reconnecting, on virtual time: backoff, jitter, the retry limit, the buffer and close(). */
@Timeout(10)
class ReconnectTimingTest {
  private static final Duration NANO = Duration.ofNanos(1);
  private static final ReconnectPolicy EXACT = ReconnectPolicy.builder().jitter(0).build();

  @Test
  void theBackoffDoublesUpToTheMaximumAndStartsAgainAfterAnOpen() {
    VirtualClient v = new VirtualClient(EXACT, Heartbeat.disabled(), 100);
    v.open().serverClose(1001, "going away");
    assertThat(v.client.status()).isEqualTo(Status.CLOSED);
    assertThat(v.errors).singleElement().isInstanceOfSatisfying(ConnectionClosedException.class,
        e -> assertThat(e.code()).isEqualTo(1001));

    for (long seconds : new long[] {1, 2, 4, 8, 16, 30, 30}) {
      assertThat(v.runner.nextDelay()).isEqualTo(Duration.ofSeconds(seconds));
      int handshakes = v.transport.handshakes.size();
      v.runner.advanceBy(Duration.ofSeconds(seconds).minus(NANO));
      assertThat(v.transport.handshakes).hasSize(handshakes);
      v.runner.advanceBy(NANO);
      assertThat(v.transport.handshakes).hasSize(handshakes + 1);
      assertThat(v.client.status()).isEqualTo(Status.CONNECTING);
      v.transport.refuse();
      assertThat(v.client.status()).isEqualTo(Status.CLOSED);
    }
    assertThat(v.errors).hasSize(8).last().isInstanceOf(ConnectException.class);

    v.awaitReconnect();
    v.transport.accept().serverClose(1001, "going away");
    assertThat(v.runner.nextDelay()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void jitterShortensEachDelayByUpToItsShare() {
    ReconnectPolicy policy = ReconnectPolicy.builder().delay(Duration.ofSeconds(1)).maxDelay(Duration.ofSeconds(8))
        .jitter(0.25).build();
    VirtualClient v = new VirtualClient(policy, Heartbeat.disabled(), 100);
    v.open().fail(new ConnectException("reset"));
    Duration shortest = Duration.ofDays(1);
    Duration longest = Duration.ZERO;
    for (int round = 0; round < 200; round++) {
      long base = Math.min(8, 1L << Math.min(round, 3));
      Duration delay = v.awaitReconnect();
      assertThat(delay).isBetween(Duration.ofSeconds(base).multipliedBy(3).dividedBy(4), Duration.ofSeconds(base));
      if (base == 8) {
        shortest = delay.compareTo(shortest) < 0 ? delay : shortest;
        longest = delay.compareTo(longest) > 0 ? delay : longest;
      }
      v.transport.refuse();
    }
    // Random, not fixed: the delays spread over most of the jitter's range.
    assertThat(longest.minus(shortest)).isGreaterThan(Duration.ofSeconds(1));
  }

  @Test
  void afterMaxRetriesTheClientStaysClosedUntilOpen() {
    ReconnectPolicy policy = EXACT.toBuilder().retries(2).delay(Duration.ofMillis(100)).build();
    VirtualClient v = new VirtualClient(policy, Heartbeat.disabled(), 100);
    v.client.open();
    v.runner.runUntilIdle();
    v.transport.refuse();
    assertThat(v.awaitReconnect()).isEqualTo(Duration.ofMillis(100));
    v.transport.refuse();
    assertThat(v.awaitReconnect()).isEqualTo(Duration.ofMillis(200));
    v.transport.refuse();

    assertThat(v.client.status()).isEqualTo(Status.CLOSED);
    assertThat(v.runner.pending()).isZero();
    v.runner.advanceBy(Duration.ofHours(1));
    assertThat(v.transport.handshakes).hasSize(3);
    assertThat(v.errors).hasSize(3);

    // A new round: one attempt and two retries again.
    v.client.open();
    v.runner.runUntilIdle();
    assertThat(v.transport.handshakes).hasSize(4);
    v.transport.refuse();
    assertThat(v.awaitReconnect()).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void whatIsSentWhileReconnectingGoesOutInOrderAfterTheSubscriptions() {
    VirtualClient v = new VirtualClient(EXACT, Heartbeat.disabled(), 100, "chat");
    FakeSocket first = v.open();
    assertThat(first.texts()).containsExactly("{\"type\":\"subscribe\",\"topic\":\"chat\"}");
    first.serverClose(1012, "restart");

    assertThat(v.client.publish("chat", "one")).isTrue();
    assertThat(v.client.send("raw")).isTrue();
    assertThat(v.client.send("two".getBytes(StandardCharsets.UTF_8))).isTrue();
    assertThat(v.client.publish("chat", "three")).isTrue();
    assertThat(v.client.bufferedMessages()).isEqualTo(4);
    assertThat(first.sent).hasSize(1);

    v.awaitReconnect();
    FakeSocket second = v.transport.accept();
    assertThat(second.sent).containsExactly(
        "text:{\"type\":\"subscribe\",\"topic\":\"chat\"}",
        "text:{\"type\":\"publish\",\"topic\":\"chat\",\"payload\":\"one\"}",
        "text:raw",
        "binary:two",
        "text:{\"type\":\"publish\",\"topic\":\"chat\",\"payload\":\"three\"}");
    assertThat(v.client.bufferedMessages()).isZero();
    assertThat(v.statuses).containsExactly(
        Status.CLOSED, Status.CONNECTING, Status.OPEN, Status.CLOSED, Status.CONNECTING, Status.OPEN);
  }

  @Test
  void theBufferRefusesMessagesOverItsLimitWhileNotOpen() {
    VirtualClient v = new VirtualClient(EXACT, Heartbeat.disabled(), 2);
    assertThat(v.client.send("a")).isTrue();
    assertThat(v.client.send("b")).isTrue();
    assertThat(v.client.send("c")).isFalse();
    assertThat(v.open().texts()).containsExactly("a", "b");
  }

  @Test
  void closeDuringAPendingReconnectCallsItOff() {
    VirtualClient v = new VirtualClient(EXACT, Heartbeat.disabled(), 100);
    v.open().serverClose(1001, "going away");
    assertThat(v.runner.nextDelay()).isEqualTo(Duration.ofSeconds(1));

    v.client.close();
    v.runner.runUntilIdle();
    assertThat(v.runner.pending()).isZero();
    v.runner.advanceBy(Duration.ofHours(1));
    assertThat(v.transport.handshakes).hasSize(1);
    assertThat(v.client.status()).isEqualTo(Status.CLOSED);
    v.client.open();
    v.runner.runUntilIdle();
    assertThat(v.transport.handshakes).as("open() after close() connects again").hasSize(2);
  }

  @Test
  void closeOfAnOpenConnectionSendsACloseFrameThenDropsItAndKeepsTheBufferForTheNextOpen() {
    VirtualClient v = new VirtualClient(EXACT, Heartbeat.disabled(), 100, "chat");
    FakeSocket socket = v.open();
    v.client.close();
    assertThat(socket.sent).containsExactly("text:{\"type\":\"subscribe\",\"topic\":\"chat\"}", "close 1000", "abort");
    assertThat(v.client.send("late")).as("buffered while closed").isTrue();
    v.runner.runUntilIdle();
    assertThat(v.statuses).containsExactly(Status.CLOSED, Status.CONNECTING, Status.OPEN, Status.CLOSED);
    assertThat(v.errors).isEmpty();
    assertThat(v.runner.pending()).isZero();

    assertThat(v.open().texts()).containsExactly("{\"type\":\"subscribe\",\"topic\":\"chat\"}", "late");
  }

  @Test
  void aLostConnectionWithoutAPolicyStaysLost() {
    VirtualClient v = new VirtualClient(ReconnectPolicy.never(), Heartbeat.disabled(), 100);
    v.open().fail(new ConnectException("reset"));
    assertThat(v.runner.pending()).isZero();
    assertThat(v.errors).extracting(Throwable::getMessage).isEqualTo(List.of("reset"));
  }
}
