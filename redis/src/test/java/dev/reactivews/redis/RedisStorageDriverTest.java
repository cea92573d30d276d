package dev.reactivews.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.reactivews.storage.Storage;
import dev.reactivews.storage.StorageDriver;
import dev.reactivews.storage.StorageDriverContract;
import dev.reactivews.storage.StorageException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The storage contract on a real Redis, plus what only a shared store across nodes can get wrong. */
class RedisStorageDriverTest extends StorageDriverContract {
  @RegisterExtension
  static final RedisServer redis = RedisServer.perTestClass();

  private final List<ReactiveWsRedis> nodes = new ArrayList<>();

  @Override
  protected StorageDriver newDriver() {
    assertThat(redis.command("FLUSHALL")).isEqualTo("+OK");
    return node().storage();
  }

  private ReactiveWsRedis node() {
    ReactiveWsRedis node = ReactiveWsRedis.connect(redis.url());
    nodes.add(node);
    return node;
  }

  @AfterEach
  void closeNodes() {
    nodes.forEach(ReactiveWsRedis::close);
  }

  @Test
  void valuesArePlainJsonUnderThePrefixedKey() {
    Storage.create(driver, "ws").setItem("chat", List.of("hi"));
    assertThat(redis.command("EXISTS reactive-ws:kv:ws:chat")).isEqualTo(":1");
    assertThat(redis.command("STRLEN reactive-ws:kv:ws:chat")).isEqualTo(":6");
  }

  @Test
  void keysThatDifferOnlyInALoneSurrogateKeepValuesOfTheirOwn() {
    Storage ws = Storage.create(driver, "ws");
    ws.setItem("lone\uD800", "high");
    ws.setItem("lone\uDC00", "low");
    ws.setItem("lone?", "question mark");

    assertThat(ws.getItem("lone\uD800", String.class)).isEqualTo("high");
    assertThat(ws.getItem("lone\uDC00", String.class)).isEqualTo("low");
    assertThat(ws.getItem("lone?", String.class)).isEqualTo("question mark");
    assertThat(ws.getKeys()).filteredOn(key -> key.startsWith("lone")).containsExactlyInAnyOrder("lone\uD800", "lone\uDC00", "lone?");
  }

  @Test
  void updatesFromTwoNodesAtOnceLoseNothing() throws Exception {
    List<Storage> stores = List.of(Storage.create(node().storage(), "ws"), Storage.create(node().storage(), "ws"));
    incrementAtOnce(stores, 6, 50);
    assertThat(stores.get(0).getItem("counter", Integer.class)).isEqualTo(2 * 6 * 50);
  }

  @Test
  void withRedisDownEveryCallFailsClearlyAndWorksAgainOnceItIsBack() {
    Storage ws = Storage.create(driver, "ws");
    ws.setItem("kept", 1);
    redis.stop();
    try {
      for (Runnable call : List.<Runnable>of(
          () -> ws.getItem("kept", Integer.class),
          () -> ws.setItem("lost", 2),
          () -> ws.hasItem("kept"),
          () -> ws.removeItem("kept"),
          ws::getKeys,
          () -> ws.update("kept", Integer.class, n -> n + 1))) {
        assertThatThrownBy(call::run)
            .isInstanceOf(StorageException.class)
            .hasMessageContaining("Redis storage at 127.0.0.1:" + redis.port() + " could not");
      }
    } finally {
      redis.start();
    }
    // The server restarted empty (no persistence here); the node reconnects on its own.
    await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
        .until(() -> ws.update("after", Integer.class, n -> 7) == 7);
    assertThat(driver.get("ws:after")).isEqualTo("7".getBytes(StandardCharsets.UTF_8));
    assertThat(ws.hasItem("lost")).isFalse();
  }
}
