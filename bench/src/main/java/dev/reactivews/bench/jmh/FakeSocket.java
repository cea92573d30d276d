package dev.reactivews.bench.jmh;

import dev.reactivews.transport.OutboundFrame;
import dev.reactivews.transport.WsSocket;

/** A connection that takes every frame while open and tells the benchmark of each. */
final class FakeSocket implements WsSocket {
  private final Runnable onWrite;
  private volatile boolean open = true;

  FakeSocket(Runnable onWrite) {
    this.onWrite = onWrite;
  }

  @Override
  public boolean write(OutboundFrame frame) {
    if (!open) {
      return false;
    }
    onWrite.run();
    return true;
  }

  @Override
  public void close(int code, String reason) {
    open = false;
  }

  @Override
  public boolean isOpen() {
    return open;
  }
}
