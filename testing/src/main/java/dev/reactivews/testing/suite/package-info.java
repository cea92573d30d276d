/**
 * Behaviour every transport must have: abstract suites that a transport's tests subclass, naming
 * the {@link dev.reactivews.testing.WsTransport} that starts its server.
 */
@NullMarked
package dev.reactivews.testing.suite;

import org.jspecify.annotations.NullMarked;
