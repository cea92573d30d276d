package dev.reactivews.client;

import dev.reactivews.Message;
import dev.reactivews.Peer;
import dev.reactivews.WsHandler;
import dev.reactivews.netty.ReactiveWs;
import dev.reactivews.testing.HookLog;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;

/**
 * The server side of the client's tests: topics with shared states, as an app built on
 * reactive-ws would have. Subscribing sends the topic's state; publishing sets it and sends it to
 * every subscriber, the publisher included; {@code close:<code>} makes the server close the
 * connection; every hook is recorded in {@link #log}.
 */
final class StateApp {
  static final String ROUTE = "/_ws";
  static final String SESSION = "session";
  static final String INTERNAL = "_internal";

  final HookLog log = new HookLog();
  final Map<String, Object> states = new ConcurrentHashMap<>();

  /** A server for this app on the port (0 for any), with {@code session} as default and {@code _internal} as internal topic. */
  ReactiveWs start(int port) {
    return ReactiveWs.create(cfg -> cfg
            .ws(ws -> ws.route(ROUTE).defaults(SESSION).internals(INTERNAL))
            .handler(handler().build()))
        .start(port);
  }

  WsHandler.Builder handler() {
    return log.handler()
        .onOpen(peer -> {
          log.add("open");
          peer.sendState(SESSION, Map.of("users", peer.peers().size()));
        })
        .onSubscribed((peer, topic) -> {
          log.add("subscribed " + topic);
          Object state = states.get(topic);
          if (state != null) {
            peer.sendState(topic, state);
          }
        })
        .onMessage(this::message);
  }

  private void message(Peer peer, Message message) {
    log.message(peer, message);
    JsonNode json = message.isBinary() ? null : message.json();
    if (json != null && "publish".equals(json.path("type").stringValue(null))) {
      String topic = json.get("topic").stringValue();
      JsonNode payload = json.get("payload");
      states.put(topic, payload);
      peer.sendState(topic, payload);
      peer.publishState(topic, payload);
    } else if (!message.isBinary() && message.text().startsWith("close:")) {
      peer.close(Integer.parseInt(message.text().substring("close:".length())), "asked to");
    }
  }

  /** How many recorded events are exactly {@code event}. */
  long count(String event) {
    return log.events().stream().filter(event::equals).count();
  }
}
