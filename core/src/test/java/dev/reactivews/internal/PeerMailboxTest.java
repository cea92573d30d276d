package dev.reactivews.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class PeerMailboxTest {
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

  @AfterEach
  void shutdown() {
    executor.shutdownNow();
  }

  @Test
  void runsTasksInTheOrderOffered() {
    PeerMailbox mailbox = new PeerMailbox(executor, 10_000);
    List<Integer> ran = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      int n = i;
      assertThat(mailbox.offer(() -> ran.add(n))).isTrue();
    }
    await().until(() -> ran.size() == 5_000);
    for (int i = 0; i < ran.size(); i++) {
      assertThat(ran.get(i)).isEqualTo(i);
    }
  }

  @Test
  void runsOneTaskAtATimeWhateverTheOfferingThreads() throws Exception {
    PeerMailbox mailbox = new PeerMailbox(executor, 100_000);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger mostAtOnce = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    int threads = 8;
    int perThread = 2_000;
    CountDownLatch go = new CountDownLatch(1);
    try (ExecutorService offering = Executors.newFixedThreadPool(threads)) {
      for (int t = 0; t < threads; t++) {
        offering.submit(() -> {
          go.await();
          for (int i = 0; i < perThread; i++) {
            mailbox.offer(() -> {
              mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
              Thread.onSpinWait();
              running.decrementAndGet();
              done.incrementAndGet();
            });
          }
          return null;
        });
      }
      go.countDown();
    }
    await().until(() -> done.get() == threads * perThread);
    assertThat(mostAtOnce.get()).isEqualTo(1);
  }

  @Test
  void refusesPastCapacityButLifecycleTasksAlwaysGetIn() {
    PeerMailbox mailbox = new PeerMailbox(executor, 3);
    CountDownLatch release = new CountDownLatch(1);
    List<String> ran = new CopyOnWriteArrayList<>();
    assertThat(mailbox.offer(() -> {
      awaitUninterruptibly(release);
      ran.add("blocking");
    })).isTrue();
    assertThat(mailbox.offer(() -> ran.add("second"))).isTrue();
    assertThat(mailbox.offer(() -> ran.add("third"))).isTrue();
    assertThat(mailbox.offer(() -> ran.add("refused"))).isFalse();
    mailbox.offerAlways(() -> ran.add("close"));

    release.countDown();
    await().until(() -> ran.size() == 4);
    assertThat(ran).containsExactly("blocking", "second", "third", "close");
    assertThat(mailbox.offer(() -> ran.add("after"))).as("room again once drained").isTrue();
    await().until(() -> ran.contains("after"));
  }

  @Test
  void aTaskThatThrowsDoesNotStopTheOnesAfterIt() {
    PeerMailbox mailbox = new PeerMailbox(executor, 10);
    List<String> ran = new CopyOnWriteArrayList<>();
    mailbox.offer(() -> {
      throw new IllegalStateException("boom");
    });
    mailbox.offer(() -> {
      throw new StackOverflowError("deep");
    });
    mailbox.offer(() -> ran.add("next"));
    await().until(() -> ran.contains("next"));
    mailbox.offer(() -> ran.add("later"));
    await().until(() -> ran.contains("later"));
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
