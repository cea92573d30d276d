package dev.reactivews.transport;

/**
 * How a transport answers a handshake {@link WsEngine#admit} refused: this HTTP status with this
 * text as the body (never in the status line: it may come from the app), and no socket opens.
 */
public record UpgradeRefusal(int status, String body) {}
