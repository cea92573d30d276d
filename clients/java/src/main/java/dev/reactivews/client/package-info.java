/**
 * The Java client of reactive-ws: {@link dev.reactivews.client.ReactiveWsClient}, the JVM's
 * {@code useWS}, on the JDK's own {@link java.net.http.WebSocket} and Jackson.
 *
 * <p>Null-marked: a type is non-null unless it is marked JSpecify {@code @Nullable}.
 */
@NullMarked
package dev.reactivews.client;

import org.jspecify.annotations.NullMarked;
