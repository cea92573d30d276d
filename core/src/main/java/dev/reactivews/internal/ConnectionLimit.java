package dev.reactivews.internal;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * Holds a server to {@link dev.reactivews.WsConfig#maxConnections()} and each client address to
 * {@link dev.reactivews.WsConfig#maxConnectionsPerAddress()}. It counts the open peers and the
 * handshakes whose upgrade hook is running, so that a burst of handshakes is refused before any
 * socket opens. An accepted handshake counts again only when its peer opens: should others have
 * filled the server (or the address) in between, that open is refused too, so the bounds hold
 * whatever the timing, and a handshake that never opens holds no slot.
 */
final class ConnectionLimit {
  /** What a count was checked against. */
  enum Verdict {
    ACCEPTED,
    SERVER_FULL,
    ADDRESS_FULL
  }

  /** 0 for no limit. */
  private final int max;
  /** 0 for no limit. */
  private final int maxPerAddress;
  private int open;
  private int upgrading;
  /**
   * Per client address with a peer open or a handshake in its hook, while there is a per-address
   * limit; an address leaves once both are 0, so the map holds only the clients connected.
   */
  private final Map<String, AddressCount> addresses = new HashMap<>();

  private static final class AddressCount {
    int open;
    int upgrading;
  }

  ConnectionLimit(int max, int maxPerAddress) {
    this.max = max;
    this.maxPerAddress = maxPerAddress;
  }

  /** Counts a handshake whose upgrade hook is about to run, unless the server or its address is full. */
  synchronized Verdict startUpgrade(InetSocketAddress client) {
    if (max > 0 && open + upgrading >= max) {
      return Verdict.SERVER_FULL;
    }
    if (maxPerAddress > 0) {
      AddressCount address = address(client);
      if (address.open + address.upgrading >= maxPerAddress) {
        return Verdict.ADDRESS_FULL;
      }
      address.upgrading++;
    }
    upgrading++;
    return Verdict.ACCEPTED;
  }

  /** The handshake's upgrade hook has decided, either way. */
  synchronized void endUpgrade(InetSocketAddress client) {
    upgrading--;
    if (maxPerAddress > 0) {
      AddressCount address = address(client);
      address.upgrading--;
      forgetIfIdle(client, address);
    }
  }

  /**
   * Counts a peer about to open, unless the server or its address is full. Handshakes still in
   * their hook do not count here: a connection already upgraded goes before one that may yet be
   * refused.
   */
  synchronized Verdict open(InetSocketAddress client) {
    if (max > 0 && open >= max) {
      return Verdict.SERVER_FULL;
    }
    if (maxPerAddress > 0) {
      AddressCount address = address(client);
      if (address.open >= maxPerAddress) {
        return Verdict.ADDRESS_FULL;
      }
      address.open++;
    }
    open++;
    return Verdict.ACCEPTED;
  }

  /** An open peer has closed. */
  synchronized void closed(InetSocketAddress client) {
    open--;
    if (maxPerAddress > 0) {
      AddressCount address = address(client);
      address.open--;
      forgetIfIdle(client, address);
    }
  }

  private AddressCount address(InetSocketAddress client) {
    return addresses.computeIfAbsent(key(client), k -> new AddressCount());
  }

  private void forgetIfIdle(InetSocketAddress client, AddressCount address) {
    if (address.open == 0 && address.upgrading == 0) {
      addresses.remove(key(client));
    }
  }

  /** The host alone: every port of one client counts as the same address. */
  private static String key(InetSocketAddress client) {
    return client.getAddress() != null ? client.getAddress().getHostAddress() : client.getHostString();
  }
}
