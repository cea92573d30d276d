/** How the starter puts the engine on Spring's WebSocket support. Not an API. */
package dev.reactivews.spring.internal;
