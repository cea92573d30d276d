package dev.reactivews.redis;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Cross-node deliveries per second: a publisher on node A, subscribers on node B, one real Redis
 * between them. Not a test; run it with {@code ./mvnw -q -pl redis -am test-compile
 * exec:exec@bench} (system properties {@code clients}, {@code messages}, {@code rounds}).
 */
public final class CrossNodeBenchmark {
  private CrossNodeBenchmark() {}

  /** Counts the {@code bench} states a client receives. */
  private static final class Counter implements WebSocket.Listener {
    final AtomicLong received = new AtomicLong();
    private final StringBuilder partial = new StringBuilder();

    @Override
    public void onOpen(WebSocket socket) {
      socket.request(Long.MAX_VALUE);
    }

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        if (partial.indexOf("\"topic\":\"bench\"") >= 0) {
          received.incrementAndGet();
        }
        partial.setLength(0);
      }
      return null;
    }
  }

  public static void main(String[] args) throws Exception {
    int clients = Integer.getInteger("clients", 20);
    int messages = Integer.getInteger("messages", 10_000);
    int rounds = Integer.getInteger("rounds", 5);
    HttpClient http = HttpClient.newHttpClient();
    try (RedisServer redis = RedisServer.startNew();
        ClusterNode a = ClusterNode.start(redis.url(), Duration.ofSeconds(15));
        ClusterNode b = ClusterNode.start(redis.url(), Duration.ofSeconds(15))) {
      List<Counter> counters = new ArrayList<>();
      List<WebSocket> sockets = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        Counter counter = new Counter();
        WebSocket socket = http.newWebSocketBuilder()
            .buildAsync(URI.create("ws://127.0.0.1:" + b.server.port() + "/_ws"), counter)
            .get(10, TimeUnit.SECONDS);
        socket.sendText("{\"type\":\"subscribe\",\"topic\":\"bench\"}", true).get(10, TimeUnit.SECONDS);
        counters.add(counter);
        sockets.add(socket);
      }
      while (redis.subscribers("reactive-ws:topic:bench") != 1
          || b.server.server().peers().stream().filter(p -> p.topics().contains("bench")).count() != clients) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
      }
      System.out.printf("cross-node: %d subscribers on node B, %d publishes a round on node A%n", clients, messages);
      Map<String, Object> payload = Map.of("text", "a chat line of a typical length, about sixty bytes");
      long expected = 0;
      for (int round = 0; round <= rounds; round++) {
        long start = System.nanoTime();
        for (int m = 0; m < messages; m++) {
          a.publish("bench", payload);
        }
        long published = System.nanoTime();
        expected += messages;
        for (Counter counter : counters) {
          while (counter.received.get() < expected) {
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
          }
        }
        long seconds = System.nanoTime() - start;
        if (round == 0) {
          System.out.println("warm-up round done");
          continue;
        }
        System.out.printf("round %d: %,.0f publishes/s sent, %,.0f cross-node deliveries/s (%,.0f messages/s through Redis)%n",
            round, messages / ((published - start) / 1e9), (double) messages * clients / (seconds / 1e9),
            messages / (seconds / 1e9));
      }
      sockets.forEach(WebSocket::abort);
    }
  }
}
