package dev.reactivews.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.core.type.TypeReference;

/**
 * What every {@link StorageDriver} must do, through {@link Storage}: each driver's test extends
 * this and makes a fresh, empty driver.
 */
@Timeout(60)
public abstract class StorageDriverContract {
  record Line(String user, String text) {}

  protected StorageDriver driver;
  private Storage ws;

  /** A new driver over empty storage. */
  protected abstract StorageDriver newDriver() throws Exception;

  @BeforeEach
  void openDriver() throws Exception {
    driver = newDriver();
    ws = Storage.create(driver, "ws");
  }

  @AfterEach
  void closeDriver() {
    driver.close();
  }

  @Test
  void setGetHasRemove() {
    assertThat(ws.getItem("line", Line.class)).isNull();
    assertThat(ws.hasItem("line")).isFalse();

    ws.setItem("line", new Line("ann", "hi"));
    assertThat(ws.hasItem("line")).isTrue();
    assertThat(ws.getItem("line", Line.class)).isEqualTo(new Line("ann", "hi"));

    assertThat(ws.removeItem("line")).isTrue();
    assertThat(ws.removeItem("line")).isFalse();
    assertThat(ws.hasItem("line")).isFalse();
  }

  @Test
  void settingNullRemovesTheKey() {
    ws.setItem("count", 3);
    ws.setItem("count", null);
    assertThat(ws.hasItem("count")).isFalse();
  }

  @Test
  void genericTypesGoThroughATypeReference() {
    List<Line> lines = List.of(new Line("ann", "hi"), new Line("bob", "yo"));
    ws.setItem("chat", lines);
    assertThat(ws.getItem("chat", new TypeReference<List<Line>>() {})).isEqualTo(lines);
  }

  @Test
  void namespacesDoNotSeeEachOther() {
    Storage other = Storage.create(driver, "wsx");
    ws.setItem("b", 2);
    ws.setItem("a", 1);
    other.setItem("a", "other");

    assertThat(ws.getKeys()).containsExactly("a", "b");
    assertThat(other.getKeys()).containsExactly("a");
    assertThat(ws.getItem("a", Integer.class)).isEqualTo(1);
    assertThat(other.getItem("a", String.class)).isEqualTo("other");
    assertThat(driver.keys("")).containsExactly("ws:a", "ws:b", "wsx:a");

    other.removeItem("a");
    assertThat(ws.hasItem("a")).isTrue();
  }

  @Test
  void aValueOfAnotherTypeFailsLoudly() {
    ws.setItem("line", "just text");
    assertThatThrownBy(() -> ws.getItem("line", Line.class))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("ws:line");
  }

  @Test
  void updateReturnsTheNewValueAndNullRemoves() {
    assertThat(ws.update("n", Integer.class, n -> n == null ? 1 : n + 1)).isEqualTo(1);
    assertThat(ws.update("n", Integer.class, n -> n + 1)).isEqualTo(2);
    assertThat(ws.update("chat", new TypeReference<List<Line>>() {}, lines -> {
      List<Line> next = lines == null ? new ArrayList<>() : new ArrayList<>(lines);
      next.add(new Line("ann", "hi"));
      return next;
    })).containsExactly(new Line("ann", "hi"));

    assertThat(ws.update("n", Integer.class, n -> null)).isNull();
    assertThat(ws.hasItem("n")).isFalse();
  }

  @Test
  void keysWithUnusualCharactersRoundTrip() {
    List<String> keys = List.of("a/b", "..", "../up", "a:b", "*", "sp ace", "ünï", "100%", "[x]?");
    for (String key : keys) {
      ws.setItem(key, key);
    }
    for (String key : keys) {
      assertThat(ws.getItem(key, String.class)).isEqualTo(key);
    }
    assertThat(ws.getKeys()).containsExactlyInAnyOrderElementsOf(keys);
    assertThat(driver.keys("ws:..")).containsExactly("ws:..", "ws:../up");
    assertThat(driver.keys("ws:*")).containsExactly("ws:*");
    assertThat(driver.keys("ws:[x]")).containsExactly("ws:[x]?");
  }

  @Test
  void updateIsAtomicUnderContention() throws Exception {
    incrementAtOnce(List.of(ws), 8, 100);
    assertThat(ws.getItem("counter", Integer.class)).isEqualTo(8 * 100);
  }

  /** Has {@code threads} threads per storage increment {@code counter} {@code increments} times, all at once. */
  protected static void incrementAtOnce(List<Storage> stores, int threads, int increments) throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> done = new ArrayList<>();
      for (Storage store : stores) {
        for (int t = 0; t < threads; t++) {
          done.add(pool.submit(() -> {
            go.await();
            for (int i = 0; i < increments; i++) {
              store.update("counter", Integer.class, n -> n == null ? 1 : n + 1);
            }
            return null;
          }));
        }
      }
      go.countDown();
      for (Future<?> f : done) {
        f.get();
      }
    }
  }

  @Test
  void aFailingUpdateFunctionChangesNothing() {
    ws.setItem("n", 1);
    assertThatThrownBy(() -> ws.update("n", Integer.class, n -> {
      throw new IllegalStateException("no");
    })).isInstanceOf(IllegalStateException.class);
    assertThat(ws.getItem("n", Integer.class)).isEqualTo(1);
  }
}
