package dev.reactivews.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reactivews.WsHandler;
import dev.reactivews.state.ListState;
import dev.reactivews.state.StateStore;
import dev.reactivews.state.StateVersion;
import dev.reactivews.storage.StorageDriver;
import dev.reactivews.testing.ForwardingStateStore;
import dev.reactivews.testing.ForwardingStorageDriver;
import dev.reactivews.testing.LogCapture;
import dev.reactivews.testing.TestServer;
import dev.reactivews.testing.WsRecorder;
import dev.reactivews.testing.WsTransport;
import dev.reactivews.testing.suite.StateSuite;
import dev.reactivews.transport.WsEngine;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The state suite on Netty, with what only the embedded server has: HTTP routes and its storage setting. */
class NettyStateTest extends StateSuite {
  @TempDir
  Path dir;

  /**
   * The memory driver, whose state store loses the deliveries of the changes committed while
   * {@link #losing} is set, as a store whose delivery crosses the network may: they are committed
   * and logged, and no replica hears of them. {@link #linkBack} says so, as such a store does
   * once its link is back.
   */
  private static final class LossyDriver extends ForwardingStorageDriver {
    private final StateStore store;
    final AtomicBoolean losing = new AtomicBoolean();
    private final AtomicReference<StateStore.@Nullable Changes> delivery = new AtomicReference<>();

    LossyDriver(StorageDriver memory) {
      super(memory);
      this.store = new ForwardingStateStore(memory.stateStore()) {
        @Override
        public void start(Changes changes) {
          delivery.set(changes);
          super.start(change -> {
            if (!losing.get()) {
              changes.changed(change);
            }
          });
        }
      };
    }

    void linkBack() {
      Objects.requireNonNull(delivery.get(), "the server started the store").mayHaveMissed();
    }

    @Override
    public StateStore stateStore() {
      return store;
    }
  }

  @Override
  protected WsTransport transport() {
    return new NettyTransport();
  }

  @Test
  void aRouteAppendsThroughItsContext() {
    server = TestServer.of(NettyTransport.start(cfg -> cfg.ws(config().build())
        .handler(log.handler().build())
        .post("/api/chat", ctx -> ctx.states().list("chat", Line.class).append(ctx.bodyAs(Line.class)))));
    WsRecorder client = subscribed("chat");

    assertThat(server.http("POST", "/api/chat", "{\"user\":\"route\",\"text\":\"hi\"}").statusCode()).isEqualTo(200);
    JsonNode state = nextState(client);
    assertThat(state.get("v").asLong()).isEqualTo(1);
    assertThat(state.get("payload").toString()).isEqualTo("[{\"user\":\"route\",\"text\":\"hi\"}]");
  }

  @Test
  void aRestartOnTheSameDirectoryKeepsTheStateAndItsEpoch() throws Exception {
    StateVersion before;
    try (StorageDriver driver = StorageDriver.fileSystem(dir)) {
      NettyTransport.Running first = NettyTransport.start(cfg -> cfg.ws(config().build()).storage(driver));
      ListState<Line> chat = first.states().list("chat", Line.class);
      chat.append(new Line("a", "kept"));
      before = chat.append(new Line("b", "kept too"));
      first.close();
    }
    try (StorageDriver driver = StorageDriver.fileSystem(dir)) {
      server = TestServer.of(NettyTransport.start(cfg -> cfg.ws(config().build()).storage(driver)));
      WsRecorder client = server.connect();
      skipOpenStates(client);
      client.subscribe("chat");
      assertThat(client.next()).isEqualTo(stateFrame("chat", before,
          "[{\"user\":\"a\",\"text\":\"kept\"},{\"user\":\"b\",\"text\":\"kept too\"}]"));
      assertThat(server.server().states().list("chat", Line.class).append(new Line("c", "after")))
          .isEqualTo(new StateVersion(before.epoch(), before.number() + 1));
      server.close();
    }
  }

  /** A server of the test config, with the recording hooks, on a {@link LossyDriver}. */
  private LossyDriver startOnALossyStore() {
    LossyDriver driver = new LossyDriver(StorageDriver.memory());
    server = TestServer.of(NettyTransport.start(cfg -> cfg.ws(config().build()).handler(log.handler().build())
        .storage(driver)));
    return driver;
  }

  @Test
  void aReplicaThatMissedAChangeCatchesDeltaPeersUpThroughTheLogWithOneWarning() {
    LossyDriver driver = startOnALossyStore();
    WsRecorder delta = deltaSubscribed("chat");
    WsRecorder plain = subscribed("chat");
    ListState<Line> chat = server.server().states().list("chat", Line.class);
    chat.append(new Line("a", "1"));
    chat.append(new Line("a", "2"));
    assertThat(List.of(nextState(delta), nextState(delta))).extracting(frame -> frame.get("v").asLong())
        .containsExactly(1L, 2L);
    assertThat(List.of(nextState(plain), nextState(plain))).extracting(frame -> frame.get("v").asLong())
        .containsExactly(1L, 2L);

    try (LogCapture logs = LogCapture.start()) {
      driver.losing.set(true);
      chat.append(new Line("a", "3"));
      driver.losing.set(false);
      StateVersion last = chat.append(new Line("a", "4"));

      assertThat(List.of(delta.next(), delta.next())).containsExactly(
          "{\"topic\":\"chat\",\"v\":3,\"patch\":[{\"op\":\"add\",\"path\":\"/-\",\"value\":{\"user\":\"a\",\"text\":\"3\"}}]}",
          "{\"topic\":\"chat\",\"v\":4,\"patch\":[{\"op\":\"add\",\"path\":\"/-\",\"value\":{\"user\":\"a\",\"text\":\"4\"}}]}");
      assertThat(plain.next()).isEqualTo(stateFrame("chat", last, "[{\"user\":\"a\",\"text\":\"1\"},"
          + "{\"user\":\"a\",\"text\":\"2\"},{\"user\":\"a\",\"text\":\"3\"},{\"user\":\"a\",\"text\":\"4\"}]"));
      assertQuietAfterMarker(delta, "after the catch-up");
      assertThat(logs.lines()).filteredOn(line -> line.contains("does not follow on")).singleElement()
          .satisfies(line -> assertThat(line).contains("WARN").contains("catching the subscribers up through the store's log"));
    }
  }

  @Test
  void aStoreThatMayHaveMissedChangesMakesTheReplicasBehindCatchUpWithoutWaitingForTheNext() {
    LossyDriver driver = startOnALossyStore();
    WsRecorder delta = deltaSubscribed("chat");
    WsRecorder plain = subscribed("chat");
    ListState<Line> chat = server.server().states().list("chat", Line.class);
    chat.append(new Line("a", "1"));
    assertThat(nextState(delta).get("v").asLong()).isEqualTo(1);
    assertThat(nextState(plain).get("v").asLong()).isEqualTo(1);

    try (LogCapture logs = LogCapture.start()) {
      driver.losing.set(true);
      StateVersion lost = chat.append(new Line("a", "2"));
      driver.losing.set(false);
      assertQuietAfterMarker(delta, "before the link is back");
      driver.linkBack();

      assertThat(delta.next()).isEqualTo(
          "{\"topic\":\"chat\",\"v\":2,\"patch\":[{\"op\":\"add\",\"path\":\"/-\",\"value\":{\"user\":\"a\",\"text\":\"2\"}}]}");
      assertThat(plain.next()).isEqualTo(stateFrame("chat", lost,
          "[{\"user\":\"a\",\"text\":\"1\"},{\"user\":\"a\",\"text\":\"2\"}]"));
      assertThat(logs.lines()).filteredOn(line -> line.contains("changes were lost on the way")).singleElement()
          .satisfies(line -> assertThat(line).contains("WARN"));
    }
    driver.linkBack();
    assertQuietAfterMarker(delta, "nothing more when nothing was lost");
  }

  @Test
  void aDataSetMadeAnewReachesADeltaPeerAsAStateOfTheNewEpochAndPatchesFollowOnFromIt() {
    StorageDriver driver = StorageDriver.memory();
    server = TestServer.of(NettyTransport.start(cfg -> cfg.ws(config().build()).handler(log.handler().build())
        .storage(driver)));
    WsRecorder delta = deltaSubscribed("chat");
    ListState<Line> chat = server.server().states().list("chat", Line.class);
    StateVersion before = chat.append(new Line("a", "1"));
    assertThat(nextState(delta).get("v").asLong()).isEqualTo(1);

    StateVersion rebased = driver.stateStore().rebase("chat", before.epoch());
    assertThat(rebased.epoch()).isNotEqualTo(before.epoch());
    assertThat(delta.next()).as("a new epoch goes out whole").isEqualTo(
        stateFrame("chat", rebased, "[{\"user\":\"a\",\"text\":\"1\"}]"));
    StateVersion after = chat.append(new Line("a", "2"));
    assertThat(after).isEqualTo(new StateVersion(rebased.epoch(), rebased.number() + 1));
    assertThat(delta.next()).isEqualTo("{\"topic\":\"chat\",\"v\":" + after.number()
        + ",\"patch\":[{\"op\":\"add\",\"path\":\"/-\",\"value\":{\"user\":\"a\",\"text\":\"2\"}}]}");

    WsRecorder resumed = deltaClient();
    skipOpenStates(resumed);
    resumed.send(subscribeHolding("chat", before));
    assertThat(WsRecorder.parse(resumed.next()).path("epoch").asString())
        .as("holding the old epoch: the whole state of the new one").isEqualTo(String.valueOf(rebased.epoch()));
  }

  @Test
  void anEngineWithStateTopicsAndNoStoreIsRefused() {
    assertThatThrownBy(() -> WsEngine.create(config().build(), WsHandler.builder().build()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("declares state topics [chat, brief, board, room:*, settings, presence]")
        .hasMessageContaining("WsEngine.Builder.stateStore");
  }
}
