package dev.reactivews.netty.internal;

import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the open HTTP connections that are not (yet) WebSocket peers, overall and per client
 * address, against {@link HttpLimits#maxHttpConnections()} and {@link
 * HttpLimits#maxHttpConnectionsPerAddress()} (0 = no limit): unfinished handshakes and idle
 * keep-alive connections cannot take every file descriptor. A connection leaves the count when
 * it closes or becomes a peer, which the engine's limits count from then on.
 */
final class HttpConnections {
  private final int max;
  private final int maxPerAddress;
  private final AtomicInteger open = new AtomicInteger();
  /** Only addresses with a connection open. */
  private final Map<InetAddress, Integer> openByAddress = new ConcurrentHashMap<>();

  HttpConnections(int max, int maxPerAddress) {
    this.max = max;
    this.maxPerAddress = maxPerAddress;
  }

  /** One connection's place in the count; {@link #leave()} gives it back, once however often it is called. */
  final class Ticket {
    private final InetAddress address;
    private final AtomicBoolean left = new AtomicBoolean();

    private Ticket(InetAddress address) {
      this.address = address;
    }

    void leave() {
      if (left.compareAndSet(false, true)) {
        open.decrementAndGet();
        openByAddress.computeIfPresent(address, (a, n) -> n == 1 ? null : n - 1);
      }
    }
  }

  /** A ticket for a new connection from the address, or null when it would pass a limit. */
  Ticket enter(InetAddress address) {
    if (open.incrementAndGet() > max && max > 0) {
      open.decrementAndGet();
      return null;
    }
    boolean[] full = new boolean[1];
    openByAddress.compute(address, (a, n) -> {
      int count = n == null ? 0 : n;
      full[0] = maxPerAddress > 0 && count >= maxPerAddress;
      return full[0] ? n : count + 1;
    });
    if (full[0]) {
      open.decrementAndGet();
      return null;
    }
    return new Ticket(address);
  }

  /** Why {@link #enter} refused a connection from the address, for the log. */
  String describeLimit(InetAddress address) {
    return maxPerAddress > 0 && openByAddress.getOrDefault(address, 0) >= maxPerAddress
        ? maxPerAddress + " HTTP connections from that address are open (maxHttpConnectionsPerAddress)"
        : max + " HTTP connections are open (maxHttpConnections)";
  }
}
