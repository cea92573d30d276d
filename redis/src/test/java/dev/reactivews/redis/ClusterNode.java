package dev.reactivews.redis;

import dev.reactivews.WsHandler;
import dev.reactivews.netty.NettyTransport;
import dev.reactivews.testing.TestServer;
import dev.reactivews.testing.WsRecorder;
import java.time.Duration;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * One server node of a test cluster: a real server on an ephemeral port with its own Redis
 * connections. Its handler publishes what a client publishes (to every subscriber but the
 * sender, as nuxt-ws's chat does) and keeps the cluster-wide count on the default topic {@code session}.
 */
final class ClusterNode implements AutoCloseable {
  static final String SESSION = "session";

  final ReactiveWsRedis redis;
  final TestServer server;
  private final NettyTransport.Running running;

  private ClusterNode(ReactiveWsRedis redis, NettyTransport.Running running) {
    this.redis = redis;
    this.running = running;
    this.server = TestServer.of(running);
  }

  static ClusterNode start(String redisUrl, Duration presenceTtl) {
    return start(ReactiveWsRedis.builder(redisUrl).presenceTtl(presenceTtl));
  }

  static ClusterNode start(ReactiveWsRedis.Builder settings) {
    ReactiveWsRedis redis = settings.connect();
    WsHandler handler = WsHandler.builder()
        .onMessage((peer, message) -> {
          JsonNode publish = message.json();
          peer.publishState(publish.get("topic").asString(), publish.get("payload"));
        })
        .onPeerCountChanged((count, thisNode) -> thisNode.publish(SESSION, Map.of("users", count)))
        .build();
    NettyTransport.Running running = NettyTransport.start(cfg -> cfg
        .ws(ws -> ws.defaults(SESSION))
        .handler(handler)
        .storage(redis.storage())
        .backplane(redis.backplane())
        .presence(redis.presence())
        .closeOnStop(redis));
    return new ClusterNode(redis, running);
  }

  WsRecorder connect() {
    return server.connect();
  }

  /** Publishes a state from this node's server-wide publisher. */
  int publish(String topic, Object payload) {
    return server.server().publisher().publish(topic, payload);
  }

  int peerCount() {
    return running.reactiveWs().peerCount();
  }

  /** The user count of the client's last {@code session} state, or -1 before any. */
  static int users(WsRecorder client) {
    JsonNode session = client.state(SESSION);
    return session == null ? -1 : session.path("users").asInt(-1);
  }

  @Override
  public void close() throws Exception {
    server.close();
  }
}
