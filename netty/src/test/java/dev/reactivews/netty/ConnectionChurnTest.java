package dev.reactivews.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.reactivews.UpgradeRejectedException;
import dev.reactivews.WsHandler;
import dev.reactivews.cluster.Backplane;
import dev.reactivews.transport.OutboundFrame;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * 100,000 connections opened and ended every way a connection ends leave nothing behind: no
 * peer, no topic, no slot of the connection limit, no heap. Plain sockets and ready-made bytes
 * keep the client's share of the two cores small.
 */
@Timeout(180)
class ConnectionChurnTest {
  private static final int CHECKPOINT = 10_000;
  private static final int CYCLES = 100_000;
  private static final int WORKERS = 4;
  private static final int MAX_CONNECTIONS = 64;
  private static final int TOPICS = 64;
  private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(10);

  /** The server cannot tell a fixed key from a fresh one; a fresh one would cost the client time. */
  private static final byte[] HANDSHAKE = handshake("/_ws");
  private static final byte[] DENIED_HANDSHAKE = handshake("/_ws?deny");
  private static final byte[] BYE = maskedText("bye");
  /** Close 1000. */
  private static final byte[] CLOSE = {(byte) 0x88, (byte) 0x82, 0, 0, 0, 0, 0x03, (byte) 0xE8};
  private static final byte[][] SUBSCRIBE = IntStream.range(0, TOPICS)
      .mapToObj(t -> maskedText("{\"type\":\"subscribe\",\"topic\":\"churn-" + t + "\"}"))
      .toArray(byte[][]::new);

  /** Topics with a subscriber on the server: the backplane hears of each one's first and last. */
  private final Set<String> subscribedTopics = ConcurrentHashMap.newKeySet();
  private final AtomicInteger opened = new AtomicInteger();
  private final AtomicInteger closed = new AtomicInteger();
  private ReactiveWs server;

  @AfterEach
  void stop() {
    server.stop();
  }

  @Test
  void connectingAndDisconnecting100000TimesLeavesNothingBehind() throws Exception {
    WsHandler handler = WsHandler.builder()
        .onUpgrade(request -> {
          if (request.query("deny") != null) {
            throw UpgradeRejectedException.unauthorized();
          }
        })
        .onOpen(peer -> opened.incrementAndGet())
        .onMessage((peer, message) -> peer.close(1000, "bye"))
        .onClose((peer, event) -> closed.incrementAndGet())
        .build();
    server = ReactiveWs.create(cfg -> cfg
            .ws(ws -> ws.maxConnections(MAX_CONNECTIONS))
            .handler(handler)
            .backplane(new TopicWatcher()))
        .start(0);

    long started = System.nanoTime();
    churn(0, CHECKPOINT);
    awaitIdle();
    long checkpointHeap = heapUsedAfterGc();
    churn(CHECKPOINT, CYCLES);
    awaitIdle();
    System.out.printf("%,d cycles in %d s; heap used after GC: %,d bytes after %,d cycles%n",
        CYCLES, Duration.ofNanos(System.nanoTime() - started).toSeconds(), checkpointHeap, CHECKPOINT);

    assertThat(server.peers()).isEmpty();
    assertThat(subscribedTopics).isEmpty();
    // A channel the server closed stays reachable for a moment (Netty's close timer): what
    // leaks never comes back.
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat((double) heapUsedAfterGc())
        .as("heap used after GC, against %,d bytes after %,d cycles", checkpointHeap, CHECKPOINT)
        .isCloseTo(checkpointHeap, within(checkpointHeap * 0.10)));
    assertEverySlotOfTheConnectionLimitIsFree();
  }

  /** Runs the cycles numbered from {@code first} to {@code end} on the workers. */
  private void churn(int first, int end) throws Exception {
    AtomicInteger next = new AtomicInteger(first);
    try (ExecutorService workers = Executors.newFixedThreadPool(WORKERS)) {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < WORKERS; w++) {
        done.add(workers.submit(() -> {
          for (int cycle = next.getAndIncrement(); cycle < end; cycle = next.getAndIncrement()) {
            cycle(cycle);
          }
        }));
      }
      for (Future<?> worker : done) {
        worker.get();
      }
    }
  }

  /**
   * One connection, ended one of the ways connections end: the client closes, the client
   * vanishes (a reset), the server closes, or the upgrade hook refuses it.
   */
  private void cycle(int cycle) {
    try (Socket socket = new Socket()) {
      // Without it each small write after the first waits for the server's delayed ACK.
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress("127.0.0.1", server.port()));
      socket.setSoTimeout((int) SOCKET_TIMEOUT.toMillis());
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      if (cycle % 20 == 19) {
        out.write(DENIED_HANDSHAKE);
        assertThat(responseStatus(in)).isEqualTo(401);
        drain(in);
        return;
      }
      out.write(HANDSHAKE);
      assertThat(responseStatus(in)).as("cycle %d", cycle).isEqualTo(101);
      out.write(SUBSCRIBE[cycle % TOPICS]);
      switch (cycle % 3) {
        case 0 -> {
          out.write(CLOSE);
          drain(in);
        }
        case 1 -> socket.setSoLinger(true, 0);
        default -> {
          out.write(BYE);
          drain(in);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cycle " + cycle, e);
    }
  }

  /** The status of the HTTP response, read up to the end of its head. */
  private static int responseStatus(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection ended in the response head: " + head);
      }
      head.append((char) b);
    }
    return Integer.parseInt(head.substring(9, 12));
  }

  /** Reads until the server ends the connection. */
  private static void drain(InputStream in) throws IOException {
    byte[] sink = new byte[256];
    while (in.read(sink) >= 0) {
      // dropped
    }
  }

  /** Waits until every connection so far has closed and its close hook has run. */
  private void awaitIdle() {
    await().atMost(Duration.ofSeconds(30))
        .until(() -> server.peers().isEmpty() && closed.get() == opened.get() && subscribedTopics.isEmpty());
  }

  private static long heapUsedAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** As many connections as the limit allows are accepted at once: no refused or ended one kept a slot. */
  private void assertEverySlotOfTheConnectionLimitIsFree() throws IOException {
    List<Socket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < MAX_CONNECTIONS; i++) {
        Socket socket = new Socket("127.0.0.1", server.port());
        sockets.add(socket);
        socket.setSoTimeout((int) SOCKET_TIMEOUT.toMillis());
        socket.getOutputStream().write(HANDSHAKE);
        assertThat(responseStatus(socket.getInputStream())).as("connection %d of %d", i + 1, MAX_CONNECTIONS)
            .isEqualTo(101);
      }
      await().until(() -> server.peers().size() == MAX_CONNECTIONS);
    } finally {
      for (Socket socket : sockets) {
        socket.close();
      }
    }
  }

  private static byte[] handshake(String target) {
    return ("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1);
  }

  /** A short text frame from a client, masked with a zero key: the payload goes as it is. */
  private static byte[] maskedText(String text) {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    byte[] frame = new byte[6 + payload.length];
    frame[0] = (byte) 0x81;
    frame[1] = (byte) (0x80 | payload.length);
    System.arraycopy(payload, 0, frame, 6, payload.length);
    return frame;
  }

  /** A single node's backplane that only keeps track of the topics the server has subscribers of. */
  private final class TopicWatcher implements Backplane {
    @Override
    public void start(Delivery delivery) {}

    @Override
    public void subscribe(String topic) {
      subscribedTopics.add(topic);
    }

    @Override
    public void unsubscribe(String topic) {
      subscribedTopics.remove(topic);
    }

    @Override
    public void publish(String topic, OutboundFrame frame, long epoch, long version) {}
  }
}
