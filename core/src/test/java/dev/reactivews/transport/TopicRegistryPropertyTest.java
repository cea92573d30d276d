package dev.reactivews.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivews.Peer;
import dev.reactivews.UpgradeRequest;
import dev.reactivews.WsConfig;
import dev.reactivews.WsHandler;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeTry;

/**
 * Random sequences of subscribes, unsubscribes, publishes and closes across several peers keep
 * the topic registry true to every peer's {@link Peer#topics()}: a publish reaches exactly the
 * current subscribers (but the publishing peer, for {@link Peer#publish}), a closing peer gets
 * nothing, an ended one is in no topic, and a topic without subscribers is gone.
 */
class TopicRegistryPropertyTest {
  private static final String DEFAULT_TOPIC = "session";
  private static final String INTERNAL_TOPIC = "_internal";
  private static final List<String> TOPICS = List.of("a", "b", "c", DEFAULT_TOPIC, INTERNAL_TOPIC);
  /** Operations name a peer by a number, taken modulo the peers opened so far. */
  private static final int PEER_NUMBERS = 8;

  sealed interface Operation {}

  record OpenPeer() implements Operation {}

  record Subscribe(int peer, String topic) implements Operation {}

  record Unsubscribe(int peer, String topic) implements Operation {}

  /** {@link Peer#publish}: to every subscriber but the peer. */
  record PeerPublish(int peer, String topic) implements Operation {}

  /** The server-wide publisher. */
  record ServerPublish(String topic) implements Operation {}

  /** {@link Peer#close}: the close frame is on its way; the connection takes no more writes. */
  record ServerClose(int peer) implements Operation {}

  /** The transport reports the connection ended. */
  record ConnectionEnd(int peer) implements Operation {}

  /** A peer as the test expects it to be. */
  private static final class ExpectedPeer {
    final FakeSocket connection = new FakeSocket();
    final WsSocketListener listener;
    final Peer peer;
    final Set<String> topics = new LinkedHashSet<>(List.of(DEFAULT_TOPIC, INTERNAL_TOPIC));
    final List<String> written = new ArrayList<>();
    boolean ended;

    ExpectedPeer(WsEngine engine) throws Exception {
      UpgradeRequest request = new UpgradeRequest(URI.create("/_ws"), Map.of(), new InetSocketAddress("127.0.0.1", 1));
      engine.upgrade(request);
      Set<Peer> before = new HashSet<>(engine.peers());
      listener = engine.open(connection, request);
      peer = engine.peers().stream().filter(p -> !before.contains(p)).findFirst().orElseThrow();
    }

    boolean receives(String topic) {
      return !ended && connection.isOpen() && topics.contains(topic);
    }
  }

  private WsEngine engine;
  private List<ExpectedPeer> peers;

  @BeforeTry
  void start() throws Exception {
    engine = WsEngine.create(WsConfig.builder().defaults(DEFAULT_TOPIC).internals(INTERNAL_TOPIC).build(),
        WsHandler.builder().build());
    peers = new ArrayList<>(List.of(new ExpectedPeer(engine), new ExpectedPeer(engine)));
  }

  @AfterTry
  void stop() throws InterruptedException {
    engine.awaitHooks(Duration.ofSeconds(5));
  }

  @Property(tries = 500)
  void theRegistryFollowsEveryPeersTopicsAndPublishesReachExactlyTheSubscribers(
      @ForAll("operations") List<Operation> operations) throws Exception {
    for (int step = 0; step < operations.size(); step++) {
      String data = "step " + step;
      switch (operations.get(step)) {
        case OpenPeer() -> peers.add(new ExpectedPeer(engine));
        case Subscribe(int number, String topic) -> {
          ExpectedPeer peer = peer(number);
          peer.peer.subscribe(topic);
          if (!peer.ended) {
            peer.topics.add(topic);
          }
        }
        case Unsubscribe(int number, String topic) -> {
          ExpectedPeer peer = peer(number);
          peer.peer.unsubscribe(topic);
          peer.topics.remove(topic);
        }
        case PeerPublish(int number, String topic) -> {
          ExpectedPeer publisher = peer(number);
          List<ExpectedPeer> reached = peers.stream().filter(p -> p != publisher && p.receives(topic)).toList();
          assertThat(publisher.peer.publish(topic, data)).isEqualTo(reached.size());
          reached.forEach(p -> p.written.add(data));
        }
        case ServerPublish(String topic) -> {
          List<ExpectedPeer> reached = peers.stream().filter(p -> p.receives(topic)).toList();
          assertThat(engine.publisher().publish(topic, data)).isEqualTo(reached.size());
          reached.forEach(p -> p.written.add("{\"topic\":\"" + topic + "\",\"payload\":\"" + data + "\"}"));
        }
        case ServerClose(int number) -> peer(number).peer.close(1000, "bye");
        case ConnectionEnd(int number) -> {
          ExpectedPeer peer = peer(number);
          // A transport reports the end of a connection once.
          if (!peer.ended) {
            peer.listener.onClosed(1000, "");
            peer.ended = true;
            peer.topics.clear();
          }
        }
      }
      assertTheRegistryMatches();
    }
  }

  private ExpectedPeer peer(int number) {
    return peers.get(number % peers.size());
  }

  private void assertTheRegistryMatches() {
    Set<String> subscribed = new HashSet<>();
    for (ExpectedPeer peer : peers) {
      assertThat(peer.peer.topics()).as(peer.peer.toString()).isEqualTo(peer.topics);
      assertThat(peer.connection.written()).as(peer.peer.toString()).isEqualTo(peer.written);
      subscribed.addAll(peer.topics);
    }
    assertThat(engine.topicCount()).isEqualTo(subscribed.size());
    assertThat(engine.peers()).containsExactlyInAnyOrderElementsOf(
        peers.stream().filter(p -> !p.ended).map(p -> p.peer).toList());
  }

  @Provide
  Arbitrary<List<Operation>> operations() {
    Arbitrary<Integer> peer = Arbitraries.integers().between(0, PEER_NUMBERS - 1);
    Arbitrary<String> topic = Arbitraries.of(TOPICS);
    return Arbitraries.<Operation>frequencyOf(
            Tuple.of(1, Arbitraries.just(new OpenPeer())),
            Tuple.of(5, Combinators.combine(peer, topic).as(Subscribe::new)),
            Tuple.of(3, Combinators.combine(peer, topic).as(Unsubscribe::new)),
            Tuple.of(3, Combinators.combine(peer, topic).as(PeerPublish::new)),
            Tuple.of(3, topic.map(ServerPublish::new)),
            Tuple.of(1, peer.map(ServerClose::new)),
            Tuple.of(1, peer.map(ConnectionEnd::new)))
        .list().ofMaxSize(40);
  }
}
