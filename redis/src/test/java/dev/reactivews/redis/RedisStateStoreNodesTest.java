package dev.reactivews.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.reactivews.state.Change;
import dev.reactivews.state.StateConflictException;
import dev.reactivews.state.StateOp;
import dev.reactivews.state.StateStore;
import dev.reactivews.state.StateTopic;
import dev.reactivews.state.StateVersion;
import dev.reactivews.storage.StorageException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What only the Redis state store does: several nodes on one Redis, its layout, its pub/sub connection and outages. */
@Timeout(120)
class RedisStateStoreNodesTest {
  private static final StateTopic CHAT = StateTopic.list("chat").logSize(4);

  private final List<AutoCloseable> opened = new ArrayList<>();

  /** A node: its own connections to Redis, its store started, what it was delivered and told. */
  private final class Node {
    final ReactiveWsRedis redis;
    final StateStore store;
    final List<Change> changes = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger mayHaveMissed = new AtomicInteger();

    Node(RedisServer server) {
      this.redis = ReactiveWsRedis.connect(server.url());
      opened.add(redis);
      this.store = redis.storage().stateStore();
      store.start(new StateStore.Changes() {
        @Override
        public void changed(Change change) {
          changes.add(change);
        }

        @Override
        public void mayHaveMissed() {
          mayHaveMissed.incrementAndGet();
        }
      });
    }

    StateVersion append(String item) {
      return store.commit(CHAT, "chat", new StateOp.Append(List.of(item.getBytes(StandardCharsets.UTF_8))));
    }
  }

  private RedisServer redis() {
    RedisServer server = RedisServer.startNew();
    opened.add(server);
    return server;
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable closeable : opened.reversed()) {
      closeable.close();
    }
  }

  @Test
  void twoNodesSeeEachOthersCommitsInVersionOrder() {
    RedisServer server = redis();
    Node a = new Node(server);
    Node b = new Node(server);
    a.store.watch("chat").join();
    b.store.watch("chat").join();

    for (int i = 0; i < 50; i++) {
      (i % 2 == 0 ? a : b).append(Integer.toString(i));
    }

    for (Node node : List.of(a, b)) {
      await().until(() -> node.changes.size() == 50);
      assertThat(node.changes).extracting(c -> c.version().number())
          .containsExactlyElementsOf(LongStream.rangeClosed(1, 50).boxed().toList());
    }
    assertThat(a.changes).isEqualTo(b.changes);
    assertThat(b.store.read(CHAT, "chat").value().size()).isEqualTo(50);
  }

  @Test
  void aNodeThatUnwatchesATopicGetsNoMoreOfItsChanges() {
    RedisServer server = redis();
    Node a = new Node(server);
    Node b = new Node(server);
    b.store.watch("chat").join();
    a.append("1");
    await().until(() -> b.changes.size() == 1);

    b.store.unwatch("chat");
    await().until(() -> server.subscribers("reactive-ws:state:chat") == 0);
    a.append("2");
    b.store.watch("chat").join();
    a.append("3");

    await().until(() -> b.changes.size() == 2);
    assertThat(b.changes).extracting(c -> c.version().number()).containsExactly(1L, 3L);
  }

  @Test
  void aListIsARedisListThatAnAppendGrowsAtItsTail() {
    RedisServer server = redis();
    Node a = new Node(server);
    StateTopic capped = StateTopic.list("chat").maxItems(3).logSize(2);
    for (int i = 1; i <= 5; i++) {
      a.store.commit(capped, "chat", new StateOp.Append(List.of(("\"line " + i + "\"").getBytes(StandardCharsets.UTF_8))));
    }

    assertThat(server.command("TYPE reactive-ws:state:value:{chat}")).isEqualTo("+list");
    assertThat(server.command("LLEN reactive-ws:state:value:{chat}")).isEqualTo(":3");
    assertThat(server.command("LINDEX reactive-ws:state:value:{chat} -1")).isEqualTo("$8");
    assertThat(a.store.read(capped, "chat").value().get(2).asString()).isEqualTo("line 5");
    assertThat(server.command("TYPE reactive-ws:state:meta:{chat}")).isEqualTo("+hash");
    assertThat(server.command("HGET reactive-ws:state:meta:{chat} v")).isEqualTo("$1");
    assertThat(server.command("LLEN reactive-ws:state:log:{chat}")).isEqualTo(":2");

    a.store.commit(StateTopic.map("board"), "board", new StateOp.Put("card", "1".getBytes(StandardCharsets.UTF_8)));
    assertThat(server.command("TYPE reactive-ws:state:value:{board}")).isEqualTo("+hash");
    assertThat(server.command("HLEN reactive-ws:state:value:{board}")).isEqualTo(":1");
  }

  @Test
  void aPutEntryExpectsTheEntryAsJsonNotAsTheBytesRedisHolds() {
    Node a = new Node(redis());
    StateTopic board = StateTopic.map("board");
    a.store.commit(board, "board", new StateOp.Put("card", bytes("{\"a\":1,\"b\":2}")));
    byte[] patch = bytes("[{\"op\":\"replace\",\"path\":\"/card/a\",\"value\":3}]");

    StateVersion updated = a.store.commit(board, "board", new StateOp.PutEntry("card", bytes("{\"b\":2,\"a\":1}"),
        bytes("{\"a\":3,\"b\":2}"), Change.Form.PATCH, patch));

    assertThat(updated.number()).isEqualTo(2);
    assertThat(a.store.read(board, "board").value().toString()).isEqualTo("{\"card\":{\"a\":3,\"b\":2}}");
    assertThatThrownBy(() -> a.store.commit(board, "board", new StateOp.PutEntry("card", bytes("{\"b\":2,\"a\":1}"),
        bytes("{}"), Change.Form.STATE, bytes("{}")))).isInstanceOf(StateConflictException.class);
  }

  private static byte[] bytes(String json) {
    return json.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aKilledPubSubConnectionSaysChangesMayHaveBeenMissedOnceItIsBack() {
    RedisServer server = redis();
    Node a = new Node(server);
    Node b = new Node(server);
    b.store.watch("chat").join();

    assertThat(server.command("CLIENT KILL TYPE pubsub")).startsWith(":");
    await().until(() -> b.mayHaveMissed.get() == 1);
    assertThat(server.subscribers("reactive-ws:state:chat")).isEqualTo(1);
    a.append("\"after\"");
    await().until(() -> b.changes.size() == 1);
  }

  @Test
  void withRedisDownACommitFailsAtOnceAndARestartWithItsDataKeepsTheEpoch() {
    RedisServer server = redis();
    Node a = new Node(server);
    StateVersion before = a.append("1");
    assertThat(server.command("SAVE")).isEqualTo("+OK");

    server.stop();
    try {
      assertThatThrownBy(() -> a.append("2")).isInstanceOf(StorageException.class)
          .hasMessageContaining("Redis state store at 127.0.0.1:" + server.port() + " could not commit to 'chat'");
      assertThatThrownBy(() -> a.store.read(CHAT, "chat")).isInstanceOf(StorageException.class);
    } finally {
      server.start();
    }

    StateVersion after = await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> a.append("3"), v -> true);
    assertThat(after).isEqualTo(new StateVersion(before.epoch(), 2));
    assertThat(a.store.read(CHAT, "chat").value().toString()).isEqualTo("[1,3]");
  }

  @Test
  void aRedisRestartedWithoutItsDataReadsVersionZeroAndTheNextCommitDrawsANewEpoch() {
    RedisServer server = redis();
    Node a = new Node(server);
    StateVersion before = a.append("1");

    server.stop();
    server.start();

    StateVersion read = await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
        .until(() -> a.store.read(CHAT, "chat").version(), v -> true);
    assertThat(read).isEqualTo(StateVersion.NONE);
    StateVersion after = a.append("2");
    assertThat(after.number()).isEqualTo(1);
    assertThat(after.epoch()).isPositive().isNotEqualTo(before.epoch());
  }
}
