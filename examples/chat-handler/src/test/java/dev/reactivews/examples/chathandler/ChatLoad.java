package dev.reactivews.examples.chathandler;

import dev.reactivews.testing.WsRecorder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Many chat clients sending at once, as a busy chat room does. */
public final class ChatLoad {
  private ChatLoad() {}

  /** Every client sends {@code perClient} lines ({@code c<client>-m<n>}), all starting together; returns once all are sent. */
  public static void sendAtOnce(List<WsRecorder> clients, int perClient) throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> sent = new ArrayList<>();
      for (int c = 0; c < clients.size(); c++) {
        WsRecorder client = clients.get(c);
        int id = c;
        sent.add(senders.submit(() -> {
          go.await();
          for (int m = 0; m < perClient; m++) {
            client.publish("chat", "{\"text\":\"c" + id + "-m" + m + "\"}");
          }
          return null;
        }));
      }
      go.countDown();
      for (Future<?> f : sent) {
        f.get();
      }
    }
  }
}
