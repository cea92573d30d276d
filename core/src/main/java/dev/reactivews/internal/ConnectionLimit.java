package dev.reactivews.internal;

/**
 * Holds a server to {@link dev.reactivews.WsConfig#maxConnections()}. It counts the open peers
 * and the handshakes whose upgrade hook is running, so that a burst of handshakes is refused
 * before any socket opens. An accepted handshake counts again only when its peer opens: should
 * others have filled the server in between, that open is refused too, so the bound holds
 * whatever the timing, and a handshake that never opens holds no slot.
 */
final class ConnectionLimit {
  /** 0 for no limit. */
  private final int max;
  private int open;
  private int upgrading;

  ConnectionLimit(int max) {
    this.max = max;
  }

  /** Counts a handshake whose upgrade hook is about to run; false if the server is full. */
  synchronized boolean startUpgrade() {
    if (max > 0 && open + upgrading >= max) {
      return false;
    }
    upgrading++;
    return true;
  }

  /** The handshake's upgrade hook has decided, either way. */
  synchronized void endUpgrade() {
    upgrading--;
  }

  /**
   * Counts a peer about to open; false if the server is full. Handshakes still in their hook do
   * not count here: a connection already upgraded goes before one that may yet be refused.
   */
  synchronized boolean open() {
    if (max > 0 && open >= max) {
      return false;
    }
    open++;
    return true;
  }

  /** An open peer has closed. */
  synchronized void closed() {
    open--;
  }
}
