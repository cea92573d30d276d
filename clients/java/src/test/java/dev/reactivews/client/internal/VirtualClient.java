package dev.reactivews.client.internal;

import dev.reactivews.client.Heartbeat;
import dev.reactivews.client.ReconnectPolicy;
import dev.reactivews.client.Status;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.ObjectMapper;

/**
 * A real client on a {@link FakeTaskRunner} and a {@link FakeTransport}: every step it takes, its
 * listeners included, runs on the test's thread when the test moves virtual time on.
 */
final class VirtualClient {
  final FakeTaskRunner runner = new FakeTaskRunner();
  final FakeTransport transport = new FakeTransport(runner);
  final RealReactiveWsClient client;
  /** What the client's error listener heard. */
  final List<Throwable> errors = new ArrayList<>();
  /** What its status listener heard, the status when it was added first. */
  final List<Status> statuses = new ArrayList<>();

  VirtualClient(ReconnectPolicy reconnect, Heartbeat heartbeat, int bufferLimit, String... topics) {
    ClientOptions options = new ClientOptions(
        URI.create("ws://server.test/_ws"), URI.create("http://server.test/_reactive-ws/config.json"),
        List.of(topics), Map.of(), Map.of(), List.of(), false, reconnect, heartbeat, false,
        Set.of(), Set.of(), bufferLimit, true, Duration.ofSeconds(10), new ObjectMapper());
    client = new RealReactiveWsClient(options, "virtual-client", runner, transport, runner::executor);
    client.onError(errors::add);
    client.onStatus(statuses::add);
    runner.runUntilIdle();
  }

  /** Opens the client and lets the server accept the handshake. */
  FakeSocket open() {
    client.open();
    runner.runUntilIdle();
    return transport.accept();
  }

  /** Moves virtual time on to the next task that waits, which must be the reconnect: its handshake has started. */
  Duration awaitReconnect() {
    Duration delay = runner.nextDelay();
    int before = transport.handshakes.size();
    runner.advanceBy(delay);
    if (transport.handshakes.size() != before + 1) {
      throw new AssertionError("no handshake " + delay + " after the loss");
    }
    return delay;
  }
}
