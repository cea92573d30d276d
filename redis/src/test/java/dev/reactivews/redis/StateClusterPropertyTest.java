package dev.reactivews.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reactivews.WsConfig;
import dev.reactivews.client.HeldVersion;
import dev.reactivews.client.Heartbeat;
import dev.reactivews.client.ReactiveWsClient;
import dev.reactivews.client.ReconnectPolicy;
import dev.reactivews.internal.JsonMergePatch;
import dev.reactivews.internal.JsonPatch;
import dev.reactivews.netty.NettyTransport;
import dev.reactivews.state.StateStore;
import dev.reactivews.state.StateTopic;
import dev.reactivews.state.Stored;
import dev.reactivews.testing.TcpProxy;
import dev.reactivews.testing.TestServer;
import dev.reactivews.testing.WsRecorder;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Random sequences of changes to a list and a map state topic on two nodes over one real Redis,
 * with clients dropped and brought back in between: plain clients (nuxt-ws's: whole states), raw
 * delta clients ({@code rws=1}: they apply every patch themselves and resume with the versions
 * they hold) and our Java client (deltas on, behind a TCP proxy that cuts it off, reconnecting on
 * its own). After the last change every client holds the server's state at the server's version,
 * and no delta client got a patch that did not follow on from the version it held.
 *
 * <p>The Java client runs with a heartbeat: without one, it sometimes stayed OPEN after the proxy
 * had closed both ends of its connection, the JDK's WebSocket reporting no close (a sample of
 * eight actions did so in one run of three).
 */
class StateClusterPropertyTest {
  private static final StateTopic LISTS = StateTopic.list("list:*").maxItems(4);
  private static final StateTopic MAPS = StateTopic.map("map:*");
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final int CLIENTS = 6;
  private static final AtomicInteger RUNS = new AtomicInteger();

  private static RedisServer redis;
  private static List<TestServer> nodes;
  /** Where the state is read from at the end: a node's own copy may still wait for the last change. */
  private static StateStore store;
  private static ReactiveWsRedis readerConnections;

  sealed interface Action permits Append, Put, Remove, Toggle {}

  record Append(int node, String item) implements Action {}

  record Put(int node, String key, int value) implements Action {}

  record Remove(int node, String key) implements Action {}

  /** Cuts client {@code client} off, or brings it back if it is cut off. */
  record Toggle(int client) implements Action {}

  @BeforeContainer
  static void startCluster() {
    redis = RedisServer.startNew();
    nodes = List.of(node(), node());
    ReactiveWsRedis reader = ReactiveWsRedis.builder(redis.url()).connect();
    readerConnections = reader;
    store = reader.storage().stateStore();
  }

  @AfterContainer
  static void stopCluster() throws Exception {
    for (TestServer node : nodes) {
      node.close();
    }
    readerConnections.close();
    redis.close();
  }

  private static TestServer node() {
    ReactiveWsRedis connections = ReactiveWsRedis.builder(redis.url()).connect();
    WsConfig ws = WsConfig.builder().states(LISTS, MAPS).build();
    return TestServer.of(NettyTransport.start(cfg -> cfg.ws(ws)
        .storage(connections.storage())
        .backplane(connections.backplane())
        .closeOnStop(connections)));
  }

  @Provide
  Arbitrary<List<Action>> actions() {
    Arbitrary<Integer> node = Arbitraries.integers().between(0, 1);
    Arbitrary<String> key = Arbitraries.of("a", "b", "c");
    Arbitrary<Action> action = Arbitraries.oneOf(
        node.flatMap(n -> Arbitraries.strings().alpha().ofMaxLength(3).map(item -> new Append(n, item))),
        node.flatMap(n -> key.flatMap(k -> Arbitraries.integers().between(0, 9).map(v -> new Put(n, k, v)))),
        node.flatMap(n -> key.map(k -> new Remove(n, k))),
        Arbitraries.integers().between(0, CLIENTS - 1).map(Toggle::new));
    return action.list().ofMinSize(1).ofMaxSize(25);
  }

  @Property(tries = 20)
  void everyClientEndsOnTheServersStateAndNoPatchMissesItsBase(@ForAll("actions") List<Action> actions)
      throws Exception {
    int run = RUNS.incrementAndGet();
    List<String> topics = List.of("list:" + run, "map:" + run);
    List<Client> clients = new ArrayList<>();
    try {
      for (int i = 0; i < CLIENTS; i++) {
        TestServer node = nodes.get(i % 2);
        clients.add(switch (i / 2) {
          case 0 -> new PlainClient(node, topics);
          case 1 -> new DeltaClient(node, topics);
          default -> new JavaClient(node, topics);
        });
      }
      for (Client client : clients) {
        await().untilAsserted(() -> assertThat(client.holdsAll(topics)).as(client + " got every state").isTrue());
      }
      for (Action action : actions) {
        switch (action) {
          case Append a -> nodes.get(a.node()).server().states().list(topics.get(0), String.class).append(a.item());
          case Put p -> nodes.get(p.node()).server().states().map(topics.get(1), Integer.class).put(p.key(), p.value());
          case Remove r -> nodes.get(r.node()).server().states().map(topics.get(1), Integer.class).remove(r.key());
          case Toggle t -> clients.get(t.client()).toggle();
        }
      }
      for (Client client : clients) {
        client.comeBack();
      }
      Map<String, Held> server = Map.of(
          topics.get(0), held(store.read(LISTS, topics.get(0))),
          topics.get(1), held(store.read(MAPS, topics.get(1))));
      for (Client client : clients) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
          for (String topic : topics) {
            assertThat(client.held(topic)).as(client + " on " + topic).isEqualTo(server.get(topic));
          }
        });
        assertThat(client.violations()).as(client + ": patches that did not follow on").isEmpty();
      }
    } finally {
      for (Client client : clients) {
        client.close();
      }
    }
  }

  /** A state and its version as a client holds it: epoch as on the wire ({@code "0"} for none). */
  record Held(JsonNode state, String epoch, long v) {}

  private static Held held(Stored stored) {
    return new Held(stored.value(), Long.toString(stored.version().epoch()), stored.version().number());
  }

  private abstract static class Client implements AutoCloseable {
    final TestServer node;
    final List<String> topics;
    boolean cutOff;

    Client(TestServer node, List<String> topics) {
      this.node = node;
      this.topics = topics;
    }

    /** The topic as the client holds it now, or null before its first state. */
    abstract Held held(String topic);

    boolean holdsAll(List<String> wanted) {
      return wanted.stream().allMatch(t -> held(t) != null);
    }

    void toggle() {
      if (cutOff) {
        comeBack();
      } else {
        cutOff = true;
        cut();
      }
    }

    void comeBack() {
      if (cutOff) {
        cutOff = false;
        restore();
      }
    }

    abstract void cut();

    abstract void restore();

    List<String> violations() {
      return List.of();
    }

    @Override
    public String toString() {
      return getClass().getSimpleName() + " on port " + node.port() + " " + describe();
    }

    String describe() {
      return "";
    }
  }

  /** A nuxt-ws front end: the last state frame of each topic, on the connection it has now. */
  private static class PlainClient extends Client {
    WsRecorder socket;

    PlainClient(TestServer node, List<String> topics) {
      super(node, topics);
      socket = connect();
    }

    WsRecorder connect() {
      WsRecorder recorder = node.connect();
      topics.forEach(recorder::subscribe);
      return recorder;
    }

    @Override
    Held held(String topic) {
      JsonNode last = null;
      for (String frame : socket.received()) {
        JsonNode json = WsRecorder.parse(frame);
        if (topic.equals(json.path("topic").asString()) && json.has("payload")) {
          last = json;
        }
      }
      return last == null ? null
          : new Held(last.get("payload"), last.path("epoch").asString("0"), last.path("v").asLong(-1));
    }

    @Override
    void cut() {
      socket.close();
    }

    @Override
    void restore() {
      socket = connect();
    }

    @Override
    public void close() {
      socket.close();
    }
  }

  /** A client of the delta protocol, written from docs/protocol.md: applies patches, resumes from what it holds. */
  private static final class DeltaClient extends Client {
    private final Map<String, Held> holds = new HashMap<>();
    private final List<String> violations = new ArrayList<>();
    private WsRecorder socket;
    private int read;

    DeltaClient(TestServer node, List<String> topics) {
      super(node, topics);
      socket = connect();
    }

    private WsRecorder connect() {
      WsRecorder recorder = node.connect("?rws=1", Map.of());
      read = 0;
      for (String topic : topics) {
        Held held = holds.get(topic);
        recorder.send(held == null
            ? "{\"type\":\"subscribe\",\"topic\":\"" + topic + "\"}"
            : "{\"type\":\"subscribe\",\"topic\":\"" + topic + "\",\"epoch\":\"" + held.epoch() + "\",\"v\":" + held.v() + "}");
      }
      return recorder;
    }

    private synchronized void catchUp() {
      List<String> frames = socket.received();
      for (; read < frames.size(); read++) {
        JsonNode frame = WsRecorder.parse(frames.get(read));
        String topic = frame.path("topic").asString(null);
        if (!topics.contains(topic)) {
          continue;
        }
        long v = frame.path("v").asLong(-1);
        Held held = holds.get(topic);
        if (frame.has("payload")) {
          holds.put(topic, new Held(frame.get("payload"), frame.path("epoch").asString("0"), v));
        } else if (held == null || v != held.v() + 1) {
          violations.add("a patch to v" + v + " of " + topic + " while holding " + held + ": " + frame);
        } else {
          try {
            JsonNode next = frame.has("patch") ? JsonPatch.apply(held.state(), frame.get("patch"))
                : JsonMergePatch.apply(held.state(), frame.get("merge"));
            holds.put(topic, new Held(next, held.epoch(), v));
          } catch (RuntimeException e) {
            violations.add("a patch to v" + v + " of " + topic + " that does not apply to " + held + ": " + e);
          }
        }
      }
    }

    @Override
    synchronized Held held(String topic) {
      catchUp();
      return holds.get(topic);
    }

    @Override
    synchronized List<String> violations() {
      catchUp();
      return List.copyOf(violations);
    }

    @Override
    synchronized void cut() {
      catchUp();
      socket.close();
    }

    @Override
    synchronized void restore() {
      socket = connect();
    }

    @Override
    public void close() {
      socket.close();
    }
  }

  /** Our Java client behind a proxy: cut off, it is silenced and dropped; brought back, it reconnects on its own. */
  private static final class JavaClient extends Client {
    private final TcpProxy proxy;
    private final ReactiveWsClient client;

    JavaClient(TestServer node, List<String> topics) {
      super(node, topics);
      proxy = TcpProxy.start(node.port());
      client = ReactiveWsClient.builder(URI.create("ws://127.0.0.1:" + proxy.port() + "/_ws"))
          .topics(topics)
          .autoReconnect(ReconnectPolicy.builder().delay(Duration.ofMillis(20)).maxDelay(Duration.ofMillis(200)).build())
          // A dead link is noticed by the heartbeat, as in any deployment: a proxy that closed both
          // ends is not always reported by the JDK's WebSocket (see the class comment).
          .heartbeat(Heartbeat.builder().interval(Duration.ofMillis(200)).pongTimeout(Duration.ofMillis(600)).build())
          .build();
    }

    @Override
    Held held(String topic) {
      JsonNode state = client.states().json(topic);
      HeldVersion version = client.states().version(topic);
      return state == null || version == null ? null : new Held(state, version.epoch(), version.number());
    }

    @Override
    String describe() {
      return client.status() + " sockets=" + proxy.openSockets();
    }

    @Override
    void cut() {
      proxy.silence();
      proxy.dropConnections();
    }

    @Override
    void restore() {
      proxy.resume();
    }

    @Override
    public void close() {
      client.close();
      proxy.close();
    }
  }
}
