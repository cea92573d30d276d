package dev.reactivews.spring.internal;

import dev.reactivews.WsCloseStatus;
import dev.reactivews.WsMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * reactive-ws in Micrometer: {@code reactivews.peers} (connected now), {@code
 * reactivews.frames{direction=in|out}}, {@code reactivews.publishes} and {@code
 * reactivews.peers.dropped{reason=slow-consumer|rate-limited}}.
 */
public final class MicrometerMetrics implements WsMetrics {
  private final AtomicInteger peers = new AtomicInteger();
  private final Counter framesIn;
  private final Counter framesOut;
  private final Counter publishes;
  private final Counter droppedSlow;
  private final Counter droppedRateLimited;

  public MicrometerMetrics(MeterRegistry registry) {
    Gauge.builder("reactivews.peers", peers, AtomicInteger::get)
        .description("Peers connected to this node")
        .register(registry);
    framesIn = frames(registry, "in");
    framesOut = frames(registry, "out");
    publishes = Counter.builder("reactivews.publishes")
        .description("States published to a topic, by peers or through the publisher")
        .register(registry);
    droppedSlow = dropped(registry, "slow-consumer");
    droppedRateLimited = dropped(registry, "rate-limited");
  }

  private static Counter frames(MeterRegistry registry, String direction) {
    return Counter.builder("reactivews.frames")
        .description("WebSocket messages received from or queued for peers")
        .tag("direction", direction)
        .register(registry);
  }

  private static Counter dropped(MeterRegistry registry, String reason) {
    return Counter.builder("reactivews.peers.dropped")
        .description("Peers the server closed to protect the others")
        .tag("reason", reason)
        .register(registry);
  }

  @Override
  public void peerOpened() {
    peers.incrementAndGet();
  }

  @Override
  public void peerClosed(int code) {
    peers.decrementAndGet();
    if (code == WsCloseStatus.SLOW_CONSUMER.code()) {
      droppedSlow.increment();
    } else if (code == WsCloseStatus.RATE_LIMITED.code()) {
      droppedRateLimited.increment();
    }
  }

  @Override
  public void frameReceived() {
    framesIn.increment();
  }

  @Override
  public void frameSent() {
    framesOut.increment();
  }

  @Override
  public void published(String topic) {
    publishes.increment();
  }
}
