/**
 * reactive-ws core: topics with reactive shared state over WebSocket, free of any transport.
 *
 * <p>An app implements {@link dev.reactivews.WsHandler}; a transport (the Netty server, the Spring
 * starter) runs it through {@link dev.reactivews.transport.WsEngine}, which adds the protocol of
 * default and internal topics, subscribe/unsubscribe, ping and the limits of {@link
 * dev.reactivews.WsConfig}.
 *
 * <p>Every package of reactive-ws but its {@code internal} ones is {@code @NullMarked}: a type
 * is non-null unless it is marked JSpecify {@code @Nullable}.
 */
@NullMarked
package dev.reactivews;

import org.jspecify.annotations.NullMarked;
