/**
 * reactive-ws core: topics with reactive shared state over WebSocket, free of any transport.
 *
 * <p>An app implements {@link dev.reactivews.WsHandler}; a transport (the Netty server, the Spring
 * starter) runs it through {@link dev.reactivews.transport.WsEngine}, which adds the protocol of
 * default and internal topics, subscribe/unsubscribe, ping and the limits of {@link
 * dev.reactivews.WsConfig}. Everything here is non-null unless documented otherwise.
 */
package dev.reactivews;
