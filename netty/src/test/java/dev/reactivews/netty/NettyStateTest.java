package dev.reactivews.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reactivews.WsHandler;
import dev.reactivews.state.ListState;
import dev.reactivews.state.StateVersion;
import dev.reactivews.storage.StorageDriver;
import dev.reactivews.testing.TestServer;
import dev.reactivews.testing.WsRecorder;
import dev.reactivews.testing.WsTransport;
import dev.reactivews.testing.suite.StateSuite;
import dev.reactivews.transport.WsEngine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The state suite on Netty, with what only the embedded server has: HTTP routes and its storage setting. */
class NettyStateTest extends StateSuite {
  @TempDir
  Path dir;

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

  @Test
  void afterARestartOnTheSameDirectoryADeltaPeerResumesWithTheMissedPatchesFromTheStoresLog() throws Exception {
    List<StateVersion> versions = new ArrayList<>();
    try (StorageDriver driver = StorageDriver.fileSystem(dir)) {
      NettyTransport.Running first = NettyTransport.start(cfg -> cfg.ws(config().build()).storage(driver));
      ListState<Line> chat = first.states().list("chat", Line.class);
      for (int i = 1; i <= 3; i++) {
        versions.add(chat.append(new Line("a", "line " + i)));
      }
      first.close();
    }
    try (StorageDriver driver = StorageDriver.fileSystem(dir)) {
      server = TestServer.of(NettyTransport.start(cfg -> cfg.ws(config().build()).storage(driver)));
      WsRecorder resuming = deltaClient();
      skipOpenStates(resuming);
      resuming.send(subscribeHolding("chat", versions.getFirst()));
      List<JsonNode> missed = List.of(nextState(resuming), nextState(resuming));
      assertThat(missed).as("versions 2 and 3, as patches from the log the restarted store kept")
          .allMatch(frame -> frame.has("patch") && !frame.has("payload"))
          .extracting(frame -> frame.get("v").asLong()).containsExactly(2L, 3L);
      assertThat(missed.get(1).get("patch").toString())
          .isEqualTo("[{\"op\":\"add\",\"path\":\"/-\",\"value\":{\"user\":\"a\",\"text\":\"line 3\"}}]");
      server.close();
    }
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
