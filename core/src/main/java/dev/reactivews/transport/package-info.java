/**
 * The seam between the core and a transport (the Netty server, Spring's WebSocket support).
 * A transport turns HTTP upgrades into {@link dev.reactivews.transport.WsEngine#upgrade} calls,
 * gives each open WebSocket to {@link dev.reactivews.transport.WsEngine#open} as a {@link
 * dev.reactivews.transport.WsSocket}, and feeds its frames to the returned {@link
 * dev.reactivews.transport.WsSocketListener}. Apps never need this package.
 */
@NullMarked
package dev.reactivews.transport;

import org.jspecify.annotations.NullMarked;
