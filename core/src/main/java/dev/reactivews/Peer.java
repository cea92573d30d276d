package dev.reactivews;

import dev.reactivews.state.WsStates;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One connected client, as nuxt-ws's {@code peer}.
 *
 * <h2>Lifecycle</h2>
 * A peer exists from the moment its WebSocket opens: it is then already subscribed to the
 * default and internal topics and counted in {@link #peers()}, before {@link WsHandler#open}
 * runs. When the connection ends it leaves every topic and {@link #peers()} at once; {@link
 * WsHandler#close} runs afterwards, and {@link #publish} from there still reaches the others.
 *
 * <h2>Sending</h2>
 * {@link #send} and {@link #publish} never block. Each peer has an outbound buffer of {@link
 * WsConfig#outboundBufferBytes()}; a peer whose buffer is full is closed with {@link
 * WsCloseStatus#SLOW_CONSUMER}, and sends return {@code false} from then on. Data is
 * sent as a text frame when it is a {@code String}, as a binary frame when it is a {@code
 * byte[]}, and as JSON text otherwise.
 *
 * <h2>States or raw data</h2>
 * To change what the clients show for a topic ({@code states[topic]}), use {@link #sendState}
 * and {@link #publishState}: they wrap the payload as {@code {"topic", "payload"}}. {@link
 * #send} and {@link #publish} send the data as it is, which the clients put in {@code data}, not
 * in {@code states}: nuxt-ws's {@code peer.publish('chat', JSON.stringify({ topic, payload }))}
 * is {@code publishState("chat", payload)} here, and {@code publish("chat", map)} would not
 * change the chat's state. A state topic ({@link WsConfig#stateTopics()}) is changed through
 * {@link #states()} instead: the framework keeps it and sends it, and {@link #sendState} and
 * {@link #publishState} refuse it.
 *
 * <p>Peers are safe to use from any thread.
 */
public interface Peer {
  /** A unique id, stable for the life of the connection. */
  String id();

  /**
   * Sends data to this peer as it is (clients show it as {@code data}; for a topic's state use
   * {@link #sendState}); false if it is closed or could not take more.
   */
  boolean send(Object data, SendOptions options);

  /** {@link #send(Object, SendOptions)} without compression. */
  default boolean send(Object data) {
    return send(data, SendOptions.DEFAULT);
  }

  /**
   * Sends {@code {"topic": topic, "payload": payload}}, which the clients keep as {@code
   * states[topic]}; a null payload is sent as JSON {@code null}.
   *
   * @throws IllegalArgumentException if the topic is a state topic: change it through {@link #states()}
   */
  boolean sendState(String topic, @Nullable Object payload, SendOptions options);

  /** {@link #sendState(String, Object, SendOptions)} without compression. */
  default boolean sendState(String topic, @Nullable Object payload) {
    return sendState(topic, payload, SendOptions.DEFAULT);
  }

  /**
   * Sends data as it is to every subscriber of the topic but this peer, on every node of the
   * cluster, encoding it once (clients show it as {@code data}; for the topic's state use {@link
   * #publishState}). Returns how many peers of this node it was written to.
   */
  int publish(String topic, Object data, SendOptions options);

  /** {@link #publish(String, Object, SendOptions)} without compression. */
  default int publish(String topic, Object data) {
    return publish(topic, data, SendOptions.DEFAULT);
  }

  /**
   * Publishes {@code {"topic": topic, "payload": payload}} to every subscriber but this peer, on
   * every node; with a {@link SendOptions#version()}, a state older than one already delivered
   * is dropped.
   *
   * @throws IllegalArgumentException if the topic is a state topic: change it through {@link #states()}
   */
  int publishState(String topic, @Nullable Object payload, SendOptions options);

  /** {@link #publishState(String, Object, SendOptions)} without compression. */
  default int publishState(String topic, @Nullable Object payload) {
    return publishState(topic, payload, SendOptions.DEFAULT);
  }

  /**
   * Subscribes this peer to the topic; the server may do so for any topic, internal ones too.
   * Neither {@link WsConfig#maxTopicsPerPeer()} nor the rules for a client's topic names apply:
   * the app decides what its own code subscribes. The topics it adds count against the limit
   * for the client's own subscribes.
   */
  void subscribe(String topic);

  /** Unsubscribes this peer from the topic. */
  void unsubscribe(String topic);

  /** The server's state topics, to change and read them from a hook: the same for every peer. */
  WsStates states();

  /** The topics this peer is subscribed to, as a snapshot. */
  Set<String> topics();

  /**
   * Every connected peer of this server node, this one included while it is open. Local only:
   * for the count across every node of a cluster, use {@link #peerCount()}.
   */
  Collection<Peer> peers();

  /**
   * How many peers are connected to the whole cluster, this one included while it is open: the
   * nuxt-ws's {@code peer.peers.size} when the server runs on several nodes. Equals {@code
   * peers().size()} on a single node; across nodes it counts the others' peers as the {@link
   * dev.reactivews.cluster.Presence} last heard. {@link WsHandler#peerCountChanged} runs when
   * it changes.
   */
  int peerCount();

  /** What the upgrade put in {@link UpgradeRequest#context()} (the authenticated user, say); mutable and thread-safe. */
  Map<String, Object> context();

  /**
   * The HTTP request that opened this connection, with only the headers named in {@link
   * WsConfig#keptHeaders()} (none by default); its URI, query, remote address and context stay.
   */
  UpgradeRequest request();

  /** Whether the connection is still open. */
  boolean isOpen();

  /**
   * Closes the connection with the code and reason; does nothing if it is already closed. Throws
   * {@link IllegalArgumentException} for a code no close frame may carry (below 1000, 1004 to
   * 1006, 1015, 5000 and up) or a reason over 123 bytes of UTF-8.
   */
  void close(int code, String reason);

  /** Closes the connection normally (1000). */
  default void close() {
    close(WsCloseStatus.NORMAL.code(), "");
  }
}
