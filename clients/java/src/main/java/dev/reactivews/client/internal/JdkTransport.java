package dev.reactivews.client.internal;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The JDK's HTTP client, on daemon threads of the client's own. */
final class JdkTransport implements Transport {
  private static final Logger LOG = LoggerFactory.getLogger(JdkTransport.class);

  private final ClientOptions options;
  private final Protocol protocol;
  private final String client;
  /** Numbers the io threads across restarts. */
  private final AtomicInteger threads = new AtomicInteger();
  /** The HTTP client's threads; replaced, with {@link #http}, only by {@link #restart()} after a shutdown. */
  private volatile ExecutorService io;
  private volatile HttpClient http;
  /** Set by {@link #shutdownNow()}, cleared by {@link #restart()}. */
  private volatile boolean stopped;

  JdkTransport(ClientOptions options, Protocol protocol, String client) {
    this.options = options;
    this.protocol = protocol;
    this.client = client;
    start();
  }

  private void start() {
    io = Executors.newCachedThreadPool(task -> {
      Thread thread = new Thread(task, client + "-io-" + threads.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    http = HttpClient.newBuilder()
        .executor(io)
        .connectTimeout(options.connectTimeout())
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  @Override
  public CompletableFuture<?> connect(URI url, Socket.Listener listener) {
    WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(options.connectTimeout());
    options.headers().forEach((header, values) -> values.forEach(value -> builder.header(header, value)));
    List<String> protocols = options.protocols();
    if (!protocols.isEmpty()) {
      builder.subprotocols(protocols.getFirst(), protocols.subList(1, protocols.size()).toArray(String[]::new));
    }
    return builder.buildAsync(url, new JdkSocket(listener, client));
  }

  @Override
  public CompletableFuture<ServerTopics> loadConfig() {
    return ServerTopics.load(http, options, protocol, client);
  }

  @Override
  public synchronized void shutdownNow() {
    stopped = true;
    http.shutdownNow();
  }

  @Override
  public synchronized void restart() {
    if (stopped) {
      stopped = false;
      start();
    }
  }

  /** The HTTP client first: its threads are the pool's, which may only stop after it. */
  @Override
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    if (!http.awaitTermination(timeout)) {
      LOG.warn("{}: the HTTP client did not stop within {}", client, timeout);
    }
    io.shutdown();
    return io.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}
