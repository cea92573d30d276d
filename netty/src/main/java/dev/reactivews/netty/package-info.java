/**
 * The embedded server: {@link dev.reactivews.netty.ReactiveWs} runs a {@link
 * dev.reactivews.WsHandler} on Netty, with HTTP routes, static files and the browser client on
 * the same port.
 */
@NullMarked
package dev.reactivews.netty;

import org.jspecify.annotations.NullMarked;
