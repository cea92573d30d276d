package dev.reactivews.spring.internal;

import dev.reactivews.transport.WsEngine;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Stops the engine before the web server stops (the highest phase stops first): every peer is
 * closed with 1001, the hooks already queued run (close hooks included), then the node leaves
 * its cluster.
 */
public final class ReactiveWsLifecycle implements SmartLifecycle {
  private static final Logger LOG = LoggerFactory.getLogger(ReactiveWsLifecycle.class);
  /**
   * Stopping polls the open sessions: they close on container threads, one by one, and a short
   * poll on the stopping thread is simpler than a latch counted down by every one of them.
   */
  private static final long POLL_MILLIS = 10;

  private final WsEngine engine;
  private final SpringWebSocketBridge bridge;
  private final Duration timeout;
  private volatile boolean running;

  /** {@code timeout} bounds the wait for the peers to close, then again for their hooks. */
  public ReactiveWsLifecycle(WsEngine engine, SpringWebSocketBridge bridge, Duration timeout) {
    this.engine = engine;
    this.bridge = bridge;
    this.timeout = timeout;
  }

  @Override
  public void start() {
    running = true;
  }

  @Override
  public void stop() {
    if (!running) {
      return;
    }
    running = false;
    try {
      bridge.stopAccepting();
      engine.closeAll();
      long deadline = System.nanoTime() + timeout.toNanos();
      while (bridge.openSessions() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(POLL_MILLIS);
      }
      if (bridge.openSessions() > 0) {
        LOG.warn("{} peers still open after {}; stopping anyway", bridge.openSessions(), timeout);
      }
      if (!engine.awaitHooks(timeout)) {
        LOG.warn("hooks still running after {}; stopping anyway", timeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      bridge.close();
      engine.leaveCluster();
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
