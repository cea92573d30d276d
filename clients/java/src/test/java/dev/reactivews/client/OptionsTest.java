package dev.reactivews.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reactivews.TopicAction;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the builders and a client refuse before anything goes on the wire, and the backoff's arithmetic. */
@Timeout(30)
class OptionsTest {
  @Test
  void aUrlThatIsNotAWebSocketOneIsRefused() {
    assertThatThrownBy(() -> ReactiveWsClient.builder("ftp://example.com/_ws"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a WebSocket URL");
    assertThatThrownBy(() -> ReactiveWsClient.builder("ws:///_ws"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no host");
    assertThatThrownBy(() -> ReactiveWsClient.builder("ws://example.com/_ws#top"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fragment");
    assertThatThrownBy(() -> ReactiveWsClient.builder("/_ws"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a WebSocket URL");
  }

  @Test
  void headersTheHandshakeOwnsAndBadValuesAreRefused() {
    ReactiveWsClient.Builder builder = ReactiveWsClient.builder("ws://example.com/_ws");
    assertThatThrownBy(() -> builder.header("Sec-WebSocket-Protocol", "x"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("protocols(");
    assertThatThrownBy(() -> builder.header("Host", "elsewhere")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.header("Upgrade", "h2c")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.header("bad name", "x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.header("X-Token", "line\nbreak")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.protocols("chat", " ")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.protocols("chat", "chat")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.protocols("a b")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void emptyTopicsAndLimitsOutOfRangeAreRefused() {
    ReactiveWsClient.Builder builder = ReactiveWsClient.builder("ws://example.com/_ws");
    assertThatThrownBy(() -> builder.topics("chat", "")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.bind("", String.class)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.internals((String) null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.bufferLimit(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.connectTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
  }

  /** A value Jackson refuses to write: it would be an endless nesting of itself. */
  static final class SelfReference {
    public SelfReference getSelf() {
      return this;
    }
  }

  @Test
  void badSendsAreRefusedAndLeaveTheBufferAsItWas() {
    try (ReactiveWsClient client = ReactiveWsClient.builder("ws://127.0.0.1:9/_ws").immediate(false).build()) {
      assertThatThrownBy(() -> client.send(TopicAction.PUBLISH, "chat"))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("payload");
      assertThatThrownBy(() -> client.send(TopicAction.SUBSCRIBE, "chat", Map.of("a", 1)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no payload");
      assertThatThrownBy(() -> client.publish("", 1)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> client.publish("chat", new SelfReference()))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("topic 'chat'");
      assertThatThrownBy(() -> client.onState("", value -> {})).isInstanceOf(IllegalArgumentException.class);
      assertThat(client.bufferedMessages()).isZero();
      assertThat(client.topics()).isEmpty();
      assertThat(client.publish("chat", List.of(1))).isTrue();
      assertThat(client.bufferedMessages()).isEqualTo(1);

      client.close();
      assertThat(client.bufferedMessages()).as("close keeps the buffer for the next open").isEqualTo(1);
      assertThat(client.publish("chat", 2)).as("buffered while closed").isTrue();
      assertThat(client.send(TopicAction.SUBSCRIBE, "news")).isTrue();
      assertThat(client.bufferedMessages()).as("not open: a subscribe only changes the topics").isEqualTo(2);
      assertThat(client.topics()).containsExactly("news");
    }
  }

  @Test
  void backoffGrowsUpToTheMaximumAndJitterOnlyShortensIt() {
    ReconnectPolicy policy = ReconnectPolicy.builder()
        .delay(Duration.ofMillis(100))
        .maxDelay(Duration.ofSeconds(1))
        .multiplier(2)
        .jitter(0.5)
        .build();
    long[] bases = {100, 200, 400, 800, 1000, 1000};
    for (int retry = 0; retry < bases.length; retry++) {
      for (int sample = 0; sample < 200; sample++) {
        assertThat(policy.backoff(retry).toMillis()).isBetween(bases[retry] / 2 - 1, bases[retry]);
      }
    }
    ReconnectPolicy exact = policy.toBuilder().jitter(0).build();
    assertThat(exact.backoff(2)).isEqualTo(Duration.ofMillis(400));
    assertThat(exact.backoff(Integer.MAX_VALUE)).as("no overflow").isEqualTo(Duration.ofSeconds(1));
    assertThat(ReconnectPolicy.never().allows(0)).isFalse();
    assertThat(ReconnectPolicy.defaults().allows(1_000_000)).isTrue();
    assertThat(policy.toBuilder().retries(3).build().allows(3)).isFalse();
  }

  @Test
  void policiesAndHeartbeatsOutOfRangeAreRefused() {
    assertThatThrownBy(() -> ReconnectPolicy.builder().retries(-1).build()).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ReconnectPolicy.builder().multiplier(0.5).build()).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ReconnectPolicy.builder().multiplier(Double.NaN).build()).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ReconnectPolicy.builder().jitter(1.5).build()).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ReconnectPolicy.builder().delay(Duration.ofSeconds(60)).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxDelay");
    assertThatThrownBy(() -> Heartbeat.builder().interval(Duration.ZERO).build()).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Heartbeat.builder().pongTimeout(Duration.ofSeconds(-1)).build()).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Heartbeat.builder().message("").build()).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Heartbeat.disabled().interval()).isInstanceOf(IllegalStateException.class);
    assertThat(Heartbeat.defaults().interval()).isEqualTo(Duration.ofSeconds(30));
  }
}
