package dev.reactivews.bench;

import dev.reactivews.Message;
import dev.reactivews.Peer;
import dev.reactivews.SendOptions;
import dev.reactivews.WsConfig;
import dev.reactivews.WsHandler;
import dev.reactivews.WsPublisher;
import dev.reactivews.examples.chathandler.ChatHandler;
import dev.reactivews.netty.ReactiveWs;
import dev.reactivews.state.ListState;
import dev.reactivews.state.StateTopic;
import dev.reactivews.state.WsStates;
import dev.reactivews.storage.StorageDriver;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The reactive-ws side of the benchmark protocol (docs/benchmarks.md, "The protocol the servers
 * speak"), on the Netty transport: {@code /_ws} on {@code $PORT} (default
 * 3000), every peer on the default topic {@code session} that carries {@code {"users":N}},
 * subscribe and unsubscribe handled by the framework, {@code publish} to {@code chat} handled by
 * the chat example's {@link ChatHandler}, and {@code publish} to any other topic relayed as
 * {@code {"topic","payload"}} to every subscriber, the sender too: by the framework for the
 * fan-out scenarios' topic (a relayed topic, {@link WsConfig#relayTopics()}), by the handler for
 * the others.
 *
 * <p>One client drives the whole load of a fan-out run, far past the per-peer defaults meant
 * for browsers, so the per-peer rate limit is off and the per-peer hook queue is raised (both
 * can be set back with {@code WS_LIMITS_MAX_MESSAGES_PER_SECOND} and {@code
 * WS_LIMITS_MAX_QUEUED_MESSAGES}), and so is the connection limit, for the 19,000 idle
 * connections; every other limit, the outbound buffer bound that closes a slow
 * reader with 4008 included, is the default ({@code run.sh} raises that bound for the chat
 * scenario, whose clients get the whole list at each version: docs/benchmarks.md).
 */
public final class BenchServer {
  static final String CHAT = "chat";
  static final String SESSION = "session";

  private BenchServer() {}

  public static void main(String[] args) {
    int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "3000"));
    ReactiveWs server = start(port, System.getenv());
    Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "bench-shutdown"));
    System.out.println("reactive-ws bench server on ws://localhost:" + server.port() + "/_ws");
  }

  /** Starts the bench server on the port (0 for any free one); {@code WS_*} variables adjust the config. */
  public static ReactiveWs start(int port, Map<String, String> environment) {
    WsConfig ws = WsConfig.builder()
        .route("/_ws")
        .defaults(SESSION)
        .maxMessagesPerSecond(0)
        .maxQueuedMessages(1_000_000)
        .maxConnections(0)
        .states(ChatHandler.CHAT_STATE, StateTopic.list(ListTopic.TOPIC))
        .relays(Fanout.TOPIC)
        .loadEnvironment(environment)
        .build();
    BenchHandler handler = new BenchHandler(new ChatHandler());
    // Every load client connects from loopback, up to 1,000 handshakes at once (Joins): no cap
    // per address, as for the other servers compared.
    // BENCH_WARM_UP=false measures a first minute without the warm-up, as a server configured so.
    boolean warmUp = !"false".equals(environment.get("BENCH_WARM_UP"));
    ReactiveWs server = ReactiveWs.create(cfg -> cfg.ws(ws).storage(StorageDriver.memory()).handler(handler)
        .maxHttpConnectionsPerAddress(0).warmUp(warmUp));
    handler.publisher = server.publisher();
    server.start(port);
    prefill(server.states(), Integer.parseInt(environment.getOrDefault(ListTopic.PREFILL_VARIABLE, "0")));
    return server;
  }

  /** The list's first entries, as one change, unless the list has them already. */
  private static void prefill(WsStates states, int entries) {
    ListState<JsonNode> list = states.list(ListTopic.TOPIC, JsonNode.class);
    if (entries > 0 && list.read().value().isEmpty()) {
      list.appendAll(ListTopic.prefill(entries).stream().map(LoadGenerator.JSON::readTree).toList());
    }
  }

  /**
   * The chat's hooks for {@code chat} (a state topic: its history reaches a subscriber without a
   * hook) and the user count; a plain relay for every other topic.
   */
  static final class BenchHandler implements WsHandler {
    private final ChatHandler chat;
    /** The server-wide publisher: unlike {@link Peer#publish}, it reaches the sender too. */
    volatile WsPublisher publisher;

    BenchHandler(ChatHandler chat) {
      this.chat = chat;
    }

    @Override
    public void peerCountChanged(int count, WsPublisher thisNode) {
      chat.peerCountChanged(count, thisNode);
    }

    @Override
    public void message(Peer peer, Message message) {
      JsonNode json = message.json();
      JsonNode type = json.path("type");
      JsonNode topic = json.path("topic");
      if (!type.isString() || !type.stringValue().equals("publish") || !topic.isString()) {
        return; // the protocol gives other messages no meaning
      }
      if (topic.stringValue().equals(CHAT)) {
        chat.message(peer, message);
        return;
      }
      if (topic.stringValue().equals(ListTopic.TOPIC)) {
        JsonNode entry = json.get("payload");
        if (entry != null) {
          peer.states().list(ListTopic.TOPIC, JsonNode.class).append(entry);
        }
        return;
      }
      publisher.publish(topic.stringValue(), json.get("payload"), SendOptions.DEFAULT); // absent: null
    }
  }
}
