package dev.reactivews.testing.suite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivews.Peer;
import dev.reactivews.WsConfig;
import dev.reactivews.WsHandler;
import dev.reactivews.storage.Storage;
import dev.reactivews.storage.StorageDriver;
import dev.reactivews.testing.HookLog;
import dev.reactivews.testing.TestServer;
import dev.reactivews.testing.WsRecorder;
import dev.reactivews.testing.WsTransport;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import tools.jackson.databind.JsonNode;

/**
 * The app the bad-input tests attack: publishing to {@code counter} adds one to a stored count
 * that every peer hears as a state; anything else is recorded in {@link #log}. A bystander
 * client counts before and after each attack, to show that the server still serves it and that
 * nothing already accepted was lost.
 */
final class CounterApp implements AutoCloseable {
  static final String COUNTER = "counter";

  final HookLog log = new HookLog();
  final TestServer server;
  final WsRecorder bystander;
  final Peer bystanderPeer;
  private final Storage storage;
  private int count;

  CounterApp(WsTransport transport, Consumer<WsConfig.Builder> limits, UnaryOperator<WsHandler.Builder> hooks) {
    storage = Storage.create(StorageDriver.memory(), "ws");
    WsHandler handler = hooks.apply(log.handler().onMessage((peer, message) -> {
      JsonNode json = message.json();
      if ("publish".equals(json.path("type").asString()) && COUNTER.equals(json.path("topic").asString())) {
        Integer total = storage.update(COUNTER, Integer.class, n -> n == null ? 1 : n + 1);
        // Others first: once the counting peer hears its total, no peer that connects later can
        // still be reached by this publish.
        peer.publishState(COUNTER, total);
        peer.sendState(COUNTER, total);
      } else {
        log.message(peer, message);
      }
    })).build();
    WsConfig.Builder config = WsConfig.builder().route("/_ws").defaults(COUNTER, "session").internals("_internal");
    limits.accept(config);
    server = TestServer.start(transport, config.build(), handler);
    bystander = server.connect();
    count();
    bystanderPeer = server.server().peers().iterator().next();
    count();
  }

  CounterApp(WsTransport transport, Consumer<WsConfig.Builder> limits) {
    this(transport, limits, UnaryOperator.identity());
  }

  /** The bystander counts once and hears the new total. */
  void count() {
    bystander.publish(COUNTER, "1");
    count++;
    assertThat(bystander.nextState(COUNTER).intValue()).isEqualTo(count);
  }

  /** The bystander is still served, and the stored count holds every count accepted so far. */
  void assertBystanderUnharmed() {
    count();
    assertThat(bystander.isClosed()).isFalse();
    assertThat(storage.getItem(COUNTER, Integer.class)).isEqualTo(count);
    assertThat(server.server().peers()).anySatisfy(p -> assertThat(p.isOpen()).isTrue());
  }

  @Override
  public void close() throws Exception {
    server.close();
  }
}
