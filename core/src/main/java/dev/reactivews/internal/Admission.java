package dev.reactivews.internal;

import dev.reactivews.UpgradeRejectedException;
import dev.reactivews.UpgradeRequest;
import dev.reactivews.WsCloseStatus;
import dev.reactivews.WsConfig;
import dev.reactivews.WsHandler;
import dev.reactivews.transport.WsSocket;
import java.net.InetSocketAddress;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Who may connect: the origin check, the connection limits and the app's upgrade hook, before a
 * socket opens; and, as it opens, the rule that only a request admitted here becomes a peer.
 */
final class Admission {
  private final WsConfig config;
  private final WsHandler handler;
  private final ConnectionLimit connectionLimit;
  private final OriginPolicy originPolicy;
  /**
   * Requests {@link #upgrade} admitted whose peer has not opened yet. Weak: a handshake that
   * fails after its hook (its client left, say) never opens, and its entry goes with the request.
   */
  private final Map<UpgradeRequest, Boolean> admitted = Collections.synchronizedMap(new WeakHashMap<>());

  Admission(WsConfig config, WsHandler handler) {
    this.config = config;
    this.handler = handler;
    this.connectionLimit = new ConnectionLimit(config.maxConnections(), config.maxConnectionsPerAddress());
    this.originPolicy = new OriginPolicy(config.allowedOrigins());
  }

  /**
   * Admits a handshake or throws {@link UpgradeRejectedException}: 403 for a browser page of an
   * origin not allowed, 503 when the server is full, 429 when the client's address is; then runs
   * the upgrade hook on the calling thread (its exceptions are the caller's to map).
   */
  void upgrade(UpgradeRequest request) throws Exception {
    String origin = request.header("Origin");
    if (!originPolicy.allows(origin, request.header("Host"))) {
      Hub.LOG.info("refused a handshake from {}: Origin {} is neither the server's own (Host {}) nor in ws.allowed-origins",
          request.remoteAddress(), LogText.escape(origin), LogText.escape(request.header("Host")));
      throw UpgradeRejectedException.forbidden();
    }
    switch (connectionLimit.startUpgrade(request.remoteAddress())) {
      case SERVER_FULL -> {
        Hub.LOG.info("refused a handshake from {}: {} connections open, the most ws.limits.max-connections allows",
            request.remoteAddress(), config.maxConnections());
        throw new UpgradeRejectedException(503, "server full, try again later");
      }
      case ADDRESS_FULL -> {
        Hub.LOG.info("refused a handshake from {}: {} connections open from that address, the most "
            + "ws.limits.max-connections-per-address allows", request.remoteAddress(), config.maxConnectionsPerAddress());
        throw new UpgradeRejectedException(429, "too many connections from your address");
      }
      case ACCEPTED -> {}
    }
    try {
      handler.upgrade(request);
    } finally {
      connectionLimit.endUpgrade(request.remoteAddress());
    }
    request.keepOnlyHeaders(config.keptHeaders());
    admitted.put(request, Boolean.TRUE);
  }

  /**
   * Whether the connection may become a peer: its request was admitted and not opened yet, and
   * neither the server nor the client's address filled up since. If not, the connection is
   * closed (1011, or 1013 when full) and the refusal logged; if so, it counts as open until
   * {@link #closed}.
   */
  boolean open(WsSocket connection, UpgradeRequest request) {
    if (request == null || admitted.remove(request) == null) {
      Hub.LOG.info("closed a connection from {} at once: its handshake did not pass the upgrade checks",
          request == null ? "an unknown address" : request.remoteAddress());
      connection.close(WsCloseStatus.INTERNAL_ERROR.code(), "internal error");
      return false;
    }
    ConnectionLimit.Verdict verdict = connectionLimit.open(request.remoteAddress());
    if (verdict == ConnectionLimit.Verdict.SERVER_FULL) {
      Hub.LOG.info("closed a connection from {} at once: {} peers open, the most ws.limits.max-connections allows",
          request.remoteAddress(), config.maxConnections());
      connection.close(WsCloseStatus.TRY_AGAIN_LATER.code(), "server full");
    } else if (verdict == ConnectionLimit.Verdict.ADDRESS_FULL) {
      Hub.LOG.info("closed a connection from {} at once: {} peers open from that address, the most "
          + "ws.limits.max-connections-per-address allows", request.remoteAddress(), config.maxConnectionsPerAddress());
      connection.close(WsCloseStatus.TRY_AGAIN_LATER.code(), "too many connections from your address");
    }
    return verdict == ConnectionLimit.Verdict.ACCEPTED;
  }

  /** A connection {@link #open} let in has ended: its slot is free again. */
  void closed(InetSocketAddress address) {
    connectionLimit.closed(address);
  }
}
