package dev.reactivews.netty.internal;

import java.time.Duration;

/**
 * What the HTTP side of the server bounds (see the {@code ServerConfig} setters of the same
 * names): how long a request may take to arrive, how large its body may be, how many bodies and
 * connections the server holds, and how long a route may take to answer.
 */
public record HttpLimits(
    Duration requestHeadTimeout,
    Duration requestTimeout,
    int maxRequestBodyBytes,
    long maxRequestBodiesInFlight,
    int maxHttpConnections,
    int maxHttpConnectionsPerAddress,
    Duration routeTimeout) {}
