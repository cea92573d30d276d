/**
 * The Java client of reactive-ws: {@link dev.reactivews.client.ReactiveWsClient}, the JVM's
 * {@code useWS}, on the JDK's own {@link java.net.http.WebSocket} and Jackson.
 *
 * <p>Everything here is non-null unless documented otherwise.
 */
package dev.reactivews.client;
