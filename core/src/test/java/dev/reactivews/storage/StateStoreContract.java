package dev.reactivews.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reactivews.state.Change;
import dev.reactivews.state.StateConflictException;
import dev.reactivews.state.StateOp;
import dev.reactivews.state.StateStore;
import dev.reactivews.state.StateTopic;
import dev.reactivews.state.StateVersion;
import dev.reactivews.state.Stored;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

/**
 * What every {@link StateStore} must do: each store's test extends this and makes a fresh driver
 * over empty storage, whose {@link StorageDriver#stateStore()} is the store under test. Every
 * change the store delivers is recorded in {@link #changes}.
 */
@Timeout(60)
public abstract class StateStoreContract {
  protected static final ObjectMapper JSON = JsonMapper.builder().build();
  protected static final StateTopic CHAT = StateTopic.list("chat");
  protected static final StateTopic BOARD = StateTopic.map("board");

  protected StorageDriver driver;
  protected StateStore store;
  /** What the store delivered, in the order it did. */
  protected final List<Change> changes = Collections.synchronizedList(new ArrayList<>());

  /** A new driver over empty storage. */
  protected abstract StorageDriver newDriver() throws Exception;

  @BeforeEach
  void startStore() throws Exception {
    driver = newDriver();
    store = driver.stateStore();
    store.start(changes::add);
  }

  @AfterEach
  void closeDriver() {
    driver.close();
  }

  protected static byte[] json(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  protected static JsonNode tree(String text) {
    return JSON.readTree(text);
  }

  protected static StateOp.Append append(String... items) {
    return new StateOp.Append(Arrays.stream(items).map(StateStoreContract::json).toList());
  }

  @Test
  void aTopicWithNothingStoredIsVersionZeroWithItsKindsInitialValue() {
    StateTopic settings = StateTopic.value("settings").initial(Map.of("theme", "light"));

    assertThat(store.read(CHAT, "chat")).isEqualTo(new Stored(StateVersion.NONE, tree("[]"), List.of()));
    assertThat(store.read(BOARD, "board")).isEqualTo(new Stored(StateVersion.NONE, tree("{}"), List.of()));
    assertThat(store.read(settings, "settings").value()).isEqualTo(tree("{\"theme\":\"light\"}"));
    assertThat(store.read(StateTopic.value("plain"), "plain").value().isNull()).isTrue();
    assertThat(store.versions(List.of("chat", "board"))).containsExactly(
        Map.entry("chat", StateVersion.NONE), Map.entry("board", StateVersion.NONE));
  }

  @Test
  void theFirstChangeDrawsAnEpochAndMakesVersionOne() {
    StateVersion first = store.commit(CHAT, "chat", append("\"hi\""));

    assertThat(first.epoch()).isPositive();
    assertThat(first.number()).isEqualTo(1);
    assertThat(store.commit(CHAT, "chat", append("\"yo\""))).isEqualTo(new StateVersion(first.epoch(), 2));
    Stored stored = store.read(CHAT, "chat");
    assertThat(stored.version()).isEqualTo(new StateVersion(first.epoch(), 2));
    assertThat(stored.value()).isEqualTo(tree("[\"hi\",\"yo\"]"));
    assertThat(store.versions(List.of("chat"))).containsEntry("chat", stored.version());
  }

  @Test
  void versionsStayContiguousAndEveryChangeIsDeliveredOnceInOrderUnderEightWritingThreads() throws Exception {
    int threads = 8;
    int appendsEach = 200;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<List<StateVersion>>> results = new ArrayList<>();
    try {
      for (int t = 0; t < threads; t++) {
        int thread = t;
        results.add(pool.submit(() -> {
          go.await();
          List<StateVersion> versions = new ArrayList<>();
          for (int i = 0; i < appendsEach; i++) {
            versions.add(store.commit(CHAT, "chat", append("{\"t\":" + thread + ",\"i\":" + i + "}")));
          }
          return versions;
        }));
      }
      go.countDown();
      List<Long> numbers = new ArrayList<>();
      for (Future<List<StateVersion>> result : results) {
        List<StateVersion> versions = result.get();
        assertThat(versions).as("one thread's commits, in the order it made them").isSortedAccordingTo(
            (a, b) -> Long.compare(a.number(), b.number()));
        versions.forEach(v -> numbers.add(v.number()));
      }
      int total = threads * appendsEach;
      assertThat(numbers).hasSize(total).doesNotHaveDuplicates();
      assertThat(numbers.stream().mapToLong(Long::longValue).max().orElseThrow()).isEqualTo(total);

      long epoch = changes.get(0).version().epoch();
      assertThat(changes).extracting(c -> c.version().number())
          .as("delivered once each, in commit order").containsExactlyElementsOf(
              LongStream.rangeClosed(1, total).boxed().toList());
      assertThat(changes).allSatisfy(c -> assertThat(c.version().epoch()).isEqualTo(epoch));

      JsonNode list = store.read(CHAT, "chat").value();
      assertThat(list.size()).isEqualTo(total);
      for (int t = 0; t < threads; t++) {
        int thread = t;
        List<Integer> order = list.valueStream().filter(item -> item.get("t").asInt() == thread)
            .map(item -> item.get("i").asInt()).toList();
        assertThat(order).as("thread %d's items", thread).isSorted().hasSize(appendsEach);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void anAppendIsOneAddAtTheEndPerItemAndARemoveOfTheFirstPerEntryPastMaxItems() {
    StateTopic capped = StateTopic.list("chat").maxItems(3);
    store.commit(capped, "chat", append("\"a\"", "\"b\""));
    StateVersion version = store.commit(capped, "chat", append("\"c\"", "{\"d\":[1,2]}"));

    Change change = changes.get(1);
    assertThat(change.version()).isEqualTo(version);
    assertThat(change.form()).isEqualTo(Change.Form.PATCH);
    assertThat(tree(change.bodyText())).isEqualTo(tree("[{\"op\":\"add\",\"path\":\"/-\",\"value\":\"c\"},"
        + "{\"op\":\"add\",\"path\":\"/-\",\"value\":{\"d\":[1,2]}},{\"op\":\"remove\",\"path\":\"/0\"}]"));
    assertThat(store.read(capped, "chat").value()).isEqualTo(tree("[\"b\",\"c\",{\"d\":[1,2]}]"));
  }

  @Test
  void theLogKeepsTheLastLogSizeChangesAsTheyWereDelivered() {
    StateTopic chat = StateTopic.list("chat").logSize(3);
    for (int i = 1; i <= 5; i++) {
      store.commit(chat, "chat", append(Integer.toString(i)));
    }

    Stored stored = store.read(chat, "chat");
    assertThat(stored.log()).containsExactlyElementsOf(changes.subList(2, 5));
    assertThat(stored.log().get(2).version()).isEqualTo(stored.version());
    assertThat(store.read(StateTopic.list("chat").logSize(0), "chat").log()).isEmpty();
  }

  @Test
  void aPutOrRemovePathEscapesTheKeyAsRfc6901Says() {
    store.commit(BOARD, "board", new StateOp.Put("a/b~c", json("1")));
    store.commit(BOARD, "board", new StateOp.Remove("a/b~c"));
    store.commit(BOARD, "board", new StateOp.Put("~1", json("{\"x\":true}")));

    assertThat(changes).extracting(c -> tree(c.bodyText())).containsExactly(
        tree("[{\"op\":\"add\",\"path\":\"/a~1b~0c\",\"value\":1}]"),
        tree("[{\"op\":\"remove\",\"path\":\"/a~1b~0c\"}]"),
        tree("[{\"op\":\"add\",\"path\":\"/~01\",\"value\":{\"x\":true}}]"));
    assertThat(store.read(BOARD, "board").value()).isEqualTo(tree("{\"~1\":{\"x\":true}}"));
  }

  @Test
  void removingAKeyThatIsNotThereChangesNothing() {
    assertThat(store.commit(BOARD, "board", new StateOp.Remove("card"))).isEqualTo(StateVersion.NONE);
    StateVersion put = store.commit(BOARD, "board", new StateOp.Put("card", json("\"todo\"")));

    assertThat(store.commit(BOARD, "board", new StateOp.Remove("other"))).isEqualTo(put);
    assertThat(changes).hasSize(1);
    assertThat(store.read(BOARD, "board").version()).isEqualTo(put);
  }

  @Test
  void aReplaceCommitsOnlyAtTheVersionItWasComputedFrom() {
    StateVersion base = store.commit(CHAT, "chat", append("\"a\""));
    byte[] patch = json("[{\"op\":\"replace\",\"path\":\"/0\",\"value\":\"b\"}]");

    StateVersion replaced = store.commit(CHAT, "chat",
        new StateOp.Replace(base, json("[\"b\"]"), Change.Form.PATCH, patch));
    assertThat(replaced.number()).isEqualTo(2);
    assertThat(changes.get(1)).isEqualTo(new Change("chat", replaced, Change.Form.PATCH, encodedAsStored(patch)));

    assertThatThrownBy(() -> store.commit(CHAT, "chat",
        new StateOp.Replace(base, json("[\"c\"]"), Change.Form.STATE, json("[\"c\"]"))))
        .isInstanceOfSatisfying(StateConflictException.class, e -> assertThat(e.current()).isEqualTo(replaced));
    assertThat(store.read(CHAT, "chat").value()).isEqualTo(tree("[\"b\"]"));
    assertThat(changes).hasSize(2);
  }

  @Test
  void aReplaceOfATopicWithNothingStoredExpectsVersionZero() {
    assertThat(store.commit(StateTopic.value("settings"), "settings", new StateOp.Replace(StateVersion.NONE,
        json("{\"theme\":\"dark\"}"), Change.Form.MERGE, json("{\"theme\":\"dark\"}"))).number()).isEqualTo(1);
    assertThat(changes.get(0).form()).isEqualTo(Change.Form.MERGE);
  }

  @Test
  void aPutEntryCommitsOnlyWhileTheEntryIsAsItWasRead() {
    store.commit(BOARD, "board", new StateOp.Put("card", json("{\"n\":1}")));
    byte[] patch = json("[{\"op\":\"replace\",\"path\":\"/card/n\",\"value\":2}]");

    StateVersion updated = store.commit(BOARD, "board",
        new StateOp.PutEntry("card", json("{ \"n\" : 1 }"), json("{\"n\":2}"), Change.Form.PATCH, patch));
    assertThat(changes.get(1)).isEqualTo(new Change("board", updated, Change.Form.PATCH, encodedAsStored(patch)));
    assertThatThrownBy(() -> store.commit(BOARD, "board",
        new StateOp.PutEntry("card", json("{\"n\":1}"), json("{\"n\":3}"), Change.Form.PATCH, patch)))
        .isInstanceOfSatisfying(StateConflictException.class, e -> assertThat(e.current()).isEqualTo(updated));

    byte[] add = json("[{\"op\":\"add\",\"path\":\"/new\",\"value\":0}]");
    store.commit(BOARD, "board", new StateOp.PutEntry("new", null, json("0"), Change.Form.PATCH, add));
    assertThatThrownBy(() -> store.commit(BOARD, "board",
        new StateOp.PutEntry("new", null, json("1"), Change.Form.PATCH, add)))
        .as("an entry expected absent that is there").isInstanceOf(StateConflictException.class);
    assertThat(store.read(BOARD, "board").value()).isEqualTo(tree("{\"card\":{\"n\":2},\"new\":0}"));
  }

  @Test
  void aClearIsAStateChangeToTheInitialValue() {
    store.commit(CHAT, "chat", append("\"a\""));
    StateVersion cleared = store.commit(CHAT, "chat", new StateOp.Clear());

    assertThat(changes.get(1)).isEqualTo(new Change("chat", cleared, Change.Form.STATE, json("[]")));
    assertThat(store.read(CHAT, "chat")).extracting(Stored::version, Stored::value).containsExactly(cleared, tree("[]"));
  }

  @Test
  void aChangeThatDoesNotFitItsTopicIsRefusedAndChangesNothing() {
    assertThatThrownBy(() -> store.commit(CHAT, "chat", new StateOp.Put("k", json("1"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is a list");
    assertThatThrownBy(() -> store.commit(BOARD, "board", append("1")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is a map");
    assertThatThrownBy(() -> store.commit(CHAT, "chat",
        new StateOp.Replace(StateVersion.NONE, json("{}"), Change.Form.STATE, json("{}"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot hold object");
    assertThatThrownBy(() -> store.commit(CHAT, "chat", append("1, 2")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not one JSON value");
    assertThatThrownBy(() -> store.commit(CHAT, "chat",
        new StateOp.Replace(StateVersion.NONE, json("[]"), Change.Form.PATCH, json("{}"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("array of operations");
    assertThatThrownBy(() -> store.commit(CHAT, "other", append("1")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not declare");

    store.commit(CHAT, "chat", append("1"));
    assertThatThrownBy(() -> store.read(StateTopic.map("chat"), "chat"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stored as a list");
    assertThat(changes).hasSize(1);
  }

  @Test
  void aStoreThatHasNotStartedRefusesChanges() throws Exception {
    try (StorageDriver fresh = newDriver()) {
      assertThatThrownBy(() -> fresh.stateStore().commit(CHAT, "chat", append("1")))
          .isInstanceOf(IllegalStateException.class);
      fresh.stateStore().start(change -> {});
      assertThatThrownBy(() -> fresh.stateStore().start(change -> {})).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void aDriverHasOneStore() throws Exception {
    assertThat(driver.stateStore()).isSameAs(store);
    try (StorageDriver other = newDriver()) {
      assertThat(other.stateStore()).isNotSameAs(store);
    }
  }

  @Test
  void aPrefixDeclarationKeepsEachOfItsTopicsApart() {
    StateTopic rooms = StateTopic.map("room:*");
    StateVersion first = store.commit(rooms, "room:1", new StateOp.Put("a", json("1")));
    store.commit(rooms, "room:1", new StateOp.Put("b", json("2")));
    StateVersion other = store.commit(rooms, "room:2", new StateOp.Put("a", json("3")));

    assertThat(other.number()).isEqualTo(1);
    assertThat(other.epoch()).isNotEqualTo(first.epoch());
    assertThat(store.read(rooms, "room:1").value()).isEqualTo(tree("{\"a\":1,\"b\":2}"));
    assertThat(store.read(rooms, "room:2").value()).isEqualTo(tree("{\"a\":3}"));
  }

  @Test
  void aRebaseGivesTheDataSetANewEpochOnlyIfItIsStillOfTheObservedOne() {
    store.commit(CHAT, "chat", append("\"a\""));
    StateVersion at = store.commit(CHAT, "chat", append("\"b\""));

    assertThat(store.rebase("chat", at.epoch() + 1)).as("another epoch").isEqualTo(at);
    assertThat(store.rebase("absent", at.epoch())).isEqualTo(StateVersion.NONE);
    StateVersion rebased = store.rebase("chat", at.epoch());

    assertThat(rebased.epoch()).isNotEqualTo(at.epoch());
    assertThat(rebased.number()).isEqualTo(at.number());
    assertThat(changes.get(2)).isEqualTo(new Change("chat", rebased, Change.Form.STATE, json("[\"a\",\"b\"]")));
    assertThat(store.read(CHAT, "chat")).isEqualTo(new Stored(rebased, tree("[\"a\",\"b\"]"), List.of()));
    assertThat(store.commit(CHAT, "chat", append("\"c\""))).isEqualTo(new StateVersion(rebased.epoch(), 3));
  }

  @Test
  void aReadIsACopyThatLaterChangesDoNotTouch() {
    store.commit(CHAT, "chat", append("\"a\""));
    Stored before = store.read(CHAT, "chat");
    ((ArrayNode) before.value()).add("mine");
    store.commit(CHAT, "chat", append("\"b\""));

    assertThat(before.value()).isEqualTo(tree("[\"a\",\"mine\"]"));
    assertThat(store.read(CHAT, "chat").value()).isEqualTo(tree("[\"a\",\"b\"]"));
  }

  /** A body as the store keeps it: the same JSON, written compactly. */
  private static byte[] encodedAsStored(byte[] body) {
    return JSON.writeValueAsBytes(JSON.readTree(body));
  }
}
