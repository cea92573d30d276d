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
  /**
   * The outbound buffer ({@code ws.limits.outbound-buffer-bytes}) of the chats under load tests:
   * each of 20 raw clients gets the whole list at each of 400 versions, and the 1 MiB default
   * closed some JDK clients, slower to read than the server is to write, with 4008.
   */
  public static final String OUTBOUND_BUFFER_BYTES = String.valueOf(16 * 1024 * 1024);

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
