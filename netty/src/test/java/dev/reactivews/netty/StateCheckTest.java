package dev.reactivews.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reactivews.WsConfig;
import dev.reactivews.state.Change;
import dev.reactivews.state.ListState;
import dev.reactivews.state.StateStore;
import dev.reactivews.state.StateTopic;
import dev.reactivews.state.StateVersion;
import dev.reactivews.storage.StorageDriver;
import dev.reactivews.testing.ForwardingStateStore;
import dev.reactivews.testing.ForwardingStorageDriver;
import dev.reactivews.testing.LogCapture;
import dev.reactivews.testing.TestServer;
import dev.reactivews.testing.WsRecorder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A change this node never heard of (a backplane that lost it) reaches the subscribers anyway:
 * through the next change's gap, through the periodic state check when no change follows, and at
 * once when the store says changes may have been missed. The store here is the memory one, its
 * deliveries dropped on demand.
 */
class StateCheckTest {
  private static final StateTopic CHAT = StateTopic.list("chat");

  private final LossyDriver driver = new LossyDriver();
  private TestServer server;

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  private WsRecorder start(Duration checkInterval) {
    WsConfig ws = WsConfig.builder().states(CHAT).stateCheckInterval(checkInterval).build();
    server = TestServer.of(NettyTransport.start(cfg -> cfg.ws(ws).storage(driver)));
    WsRecorder client = server.connect().subscribe("chat");
    assertThat(client.nextState("chat").toString()).isEqualTo("[]");
    return client;
  }

  private ListState<String> chat() {
    return server.server().states().list("chat", String.class);
  }

  /** Appends the item with the store's delivery of that change dropped, as a backplane that lost it. */
  private StateVersion appendUnheard(String item) {
    driver.store.dropping = true;
    try {
      return chat().append(item);
    } finally {
      driver.store.dropping = false;
    }
  }

  private static JsonNode nextChat(WsRecorder client) {
    return client.nextMatching(m -> "chat".equals(m.path("topic").asString()));
  }

  @Test
  void theLastChangeBeforeAQuietSpellIsCaughtUpByTheCheck() {
    WsRecorder client = start(Duration.ofMillis(100));
    chat().append("a");
    assertThat(nextChat(client).path("v").asLong()).isEqualTo(1);

    try (LogCapture logs = LogCapture.start()) {
      StateVersion missed = appendUnheard("b");

      JsonNode caughtUp = nextChat(client);
      assertThat(caughtUp.path("v").asLong()).isEqualTo(missed.number());
      assertThat(caughtUp.path("payload").toString()).isEqualTo("[\"a\",\"b\"]");
      await().until(() -> logs.text().contains("topic chat: the store holds version 2"));
      assertThat(logs.lines()).filteredOn(l -> l.contains("reading the state again")).hasSize(1);
    }
  }

  @Test
  void withTheCheckOffTheNextChangeShowsTheGapAndBringsWhatWasMissed() {
    WsRecorder client = start(Duration.ZERO);
    chat().append("a");
    assertThat(nextChat(client).path("v").asLong()).isEqualTo(1);
    appendUnheard("b");

    chat().append("c");

    JsonNode next = nextChat(client);
    assertThat(next.path("v").asLong()).isEqualTo(3);
    assertThat(next.path("payload").toString()).isEqualTo("[\"a\",\"b\",\"c\"]");
  }

  @Test
  void aStoreThatSaysChangesMayHaveBeenMissedIsComparedWithAtOnce() {
    WsRecorder client = start(Duration.ZERO);
    chat().append("a");
    assertThat(nextChat(client).path("v").asLong()).isEqualTo(1);
    appendUnheard("b");

    driver.store.changes.mayHaveMissed();

    JsonNode caughtUp = nextChat(client);
    assertThat(caughtUp.path("v").asLong()).isEqualTo(2);
    assertThat(caughtUp.path("payload").toString()).isEqualTo("[\"a\",\"b\"]");
  }

  /** A client that asks for patches ({@code rws=1}), subscribed to the chat, its first state read. */
  private WsRecorder deltaClient() {
    WsRecorder client = server.connect("?rws=1", Map.of()).subscribe("chat");
    assertThat(client.nextState("chat").toString()).isEqualTo("[]");
    return client;
  }

  private static String appendPatch(long version, String item) {
    return "{\"topic\":\"chat\",\"v\":" + version + ",\"patch\":[{\"op\":\"add\",\"path\":\"/-\",\"value\":\""
        + item + "\"}]}";
  }

  @Test
  void aDeltaClientGetsThePatchesItMissedFromTheLogWhenTheNextChangeShowsTheGap() {
    WsRecorder plain = start(Duration.ZERO);
    WsRecorder delta = deltaClient();
    chat().append("a");
    assertThat(nextChat(plain).path("v").asLong()).isEqualTo(1);
    assertThat(nextChat(delta).path("v").asLong()).isEqualTo(1);

    try (LogCapture logs = LogCapture.start()) {
      appendUnheard("b");
      StateVersion last = chat().append("c");

      assertThat(List.of(delta.next(), delta.next())).containsExactly(appendPatch(2, "b"), appendPatch(3, "c"));
      JsonNode whole = nextChat(plain);
      assertThat(whole.path("v").asLong()).isEqualTo(last.number());
      assertThat(whole.path("payload").toString()).isEqualTo("[\"a\",\"b\",\"c\"]");
      assertThat(logs.lines()).filteredOn(line -> line.contains("does not follow on")).singleElement()
          .satisfies(line -> assertThat(line).contains("WARN").contains("catching the subscribers up through the store's log"));
    }
  }

  @Test
  void aDeltaClientCaughtUpAfterTheStoreSaysChangesMayHaveBeenMissedGetsThePatchItMissed() {
    start(Duration.ZERO);
    WsRecorder delta = deltaClient();
    chat().append("a");
    assertThat(nextChat(delta).path("v").asLong()).isEqualTo(1);
    appendUnheard("b");

    driver.store.changes.mayHaveMissed();

    assertThat(delta.next()).isEqualTo(appendPatch(2, "b"));
  }

  /** The memory driver, its state store's deliveries dropped while {@code dropping}. */
  private static final class LossyDriver extends ForwardingStorageDriver {
    final LossyStore store;

    LossyDriver() {
      this(StorageDriver.memory());
    }

    private LossyDriver(StorageDriver memory) {
      super(memory);
      this.store = new LossyStore(memory.stateStore());
    }

    @Override
    public StateStore stateStore() {
      return store;
    }
  }

  private static final class LossyStore extends ForwardingStateStore {
    volatile boolean dropping;
    volatile Changes changes;

    LossyStore(StateStore delegate) {
      super(delegate);
    }

    @Override
    public void start(Changes to) {
      this.changes = to;
      super.start(new Changes() {
        @Override
        public void changed(Change change) {
          if (!dropping) {
            to.changed(change);
          }
        }

        @Override
        public void mayHaveMissed() {
          to.mayHaveMissed();
        }
      });
    }
  }
}
