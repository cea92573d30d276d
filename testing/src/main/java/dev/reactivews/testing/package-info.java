/**
 * What reactive-ws's own tests use, for the tests of an app or a transport: {@link
 * dev.reactivews.testing.TestServer} runs a server of any transport on an ephemeral port, {@link
 * dev.reactivews.testing.RawWebSocket} talks to it frame by frame, {@link
 * dev.reactivews.testing.WsRecorder}, {@link dev.reactivews.testing.HookLog} and {@link
 * dev.reactivews.testing.LogCapture} record what happened.
 */
@NullMarked
package dev.reactivews.testing;

import org.jspecify.annotations.NullMarked;
