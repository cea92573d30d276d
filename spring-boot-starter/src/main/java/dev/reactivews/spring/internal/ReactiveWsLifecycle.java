package dev.reactivews.spring.internal;

import dev.reactivews.transport.WsEngine;
import org.springframework.context.SmartLifecycle;

/**
 * Stops the engine before the web server stops (the highest phase stops first), as {@link
 * WsEngine#stop} stops every transport: within {@code ws.shutdown-timeout} in all, every peer is
 * closed with 1001, the hooks already queued run (close hooks included), then the node leaves
 * its cluster.
 */
public final class ReactiveWsLifecycle implements SmartLifecycle {
  private final WsEngine engine;
  private final SpringWebSocketBridge bridge;
  private volatile boolean running;

  public ReactiveWsLifecycle(WsEngine engine, SpringWebSocketBridge bridge) {
    this.engine = engine;
    this.bridge = bridge;
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
    engine.stop(bridge);
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
