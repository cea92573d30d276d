package dev.reactivews.netty.internal;

import dev.reactivews.WsConfig;
import dev.reactivews.WsHandler;
import dev.reactivews.transport.WsEngine;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the server's own path hot before the first real client comes: a private server on a
 * loopback port and on the server's own event loops (whose per-thread buffers and caches it
 * fills too), with its own engine, in-memory state and no app hooks, and a few plain socket
 * clients that upgrade, subscribe, ping and publish to a relayed topic, one message at a time
 * and in bursts, on until the optimising compiler (C2) has nothing left to do for that path. A
 * fresh JVM otherwise interprets the per-message code for its first minute (at 200 messages a
 * second it reaches C2 after about 5,000 of them), and the compiler's bursts share the core with
 * the first clients.
 *
 * <p>The traffic goes on while C2 works, not only for a fixed count: on a busy core HotSpot
 * raises its thresholds with C2's backlog, so a warm-up that stopped at a count left the hottest
 * methods (the protocol's handler, the frame decoder, the fan-out's writes) to be compiled after
 * the port listened.
 *
 * <p>Once per JVM, bounded in time, and never fatal: a warm-up that fails logs why and the
 * server starts cold. The app sees nothing of it: no hook runs, no storage, backplane or
 * metrics of the app are touched.
 */
final class WarmUp {
  private static final Logger LOG = LoggerFactory.getLogger(WarmUp.class);
  private static final AtomicBoolean DONE = new AtomicBoolean();

  private static final String ROUTE = "/_warm-up";
  private static final int OPCODE_TEXT = 0x1;
  private static final int OPCODE_CLOSE = 0x8;
  private static final int OPCODE_PING = 0x9;
  private static final int OPCODE_PONG = 0xA;
  private static final byte[] PING_BODY = {'w', 'u'};
  private static final String TOPIC = "warm-up";
  /** Enough for the handshake's code to leave the interpreter; handshakes come far fewer than messages. */
  static final int HANDSHAKES = 150;
  /**
   * Each cycle sends messages one at a time, each answered before the next (a light load: the
   * event loop idle at every message), then a burst (frames queued behind one another), so that
   * the compiled code has seen both. 70 cycles: above the optimising compiler's 5,000
   * invocations for the per-message methods; more follow while C2 is busy.
   */
  static final int CYCLES = 70;
  static final int SINGLES = 40;
  static final int BURST = 60;
  /** Subscribers besides the publisher: each message fans out to all of them. */
  private static final int SUBSCRIBERS = 3;
  private static final Duration TIME_LIMIT = Duration.ofSeconds(10);
  /** Checks in a row, one per cycle, that must find C2 idle: a lone idle moment can fall between two compilations. */
  private static final int IDLE_CHECKS = 3;
  private static final Duration COMPILER_QUIET_LIMIT = Duration.ofSeconds(3);
  private static final long COMPILER_POLL_MILLIS = 50;

  private WarmUp() {}

  /** Warms the JVM and the event loops for a server of this shape, unless a server of this JVM did already. */
  static void once(EventLoops loops, Duration maxWriteDelay, HttpLimits limits) {
    if (!DONE.compareAndSet(false, true)) {
      return;
    }
    long started = System.nanoTime();
    try {
      Result result = run(loops, maxWriteDelay, limits, started + TIME_LIMIT.toNanos());
      boolean quiet = switch (result.jit()) {
        case IDLE -> true;
        case BUSY -> false;
        case UNKNOWN -> awaitCompilerQuiet();
      };
      LOG.info("warmed up in {} ms: {} handshakes, {} messages relayed{}",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), result.handshakes(), result.relayed(),
          quiet ? "" : " (the compiler was still busy)");
    } catch (IOException | RuntimeException e) {
      LOG.warn("warm-up failed after {} ms, the server starts cold: {}",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * What a warm-up did: handshakes answered, messages the publisher got back through the relay,
   * and what the JIT was doing when the traffic stopped.
   */
  record Result(int handshakes, long relayed, Jit jit) {}

  /**
   * The JIT when the traffic stopped: C2 idle, still busy (the deadline came first), or unknown
   * (no queue to read on this JVM, or the deadline came before the cycles ended).
   */
  enum Jit { IDLE, BUSY, UNKNOWN }

  /** One warm-up, until done or until the deadline ({@link System#nanoTime}); throws if the private server failed it. */
  static Result run(EventLoops loops, Duration maxWriteDelay, HttpLimits limits, long deadline)
      throws IOException, InterruptedException {
    // A default topic too: every peer is on it, and each open and close sends its count.
    WsConfig ws = WsConfig.builder().route(ROUTE).defaults(TOPIC + "-session").relays(TOPIC).maxMessagesPerSecond(0).build();
    WsEngine engine = WsEngine.builder(ws, WsHandler.builder().build()).build();
    NettyServer server = new NettyServer(engine, loops, maxWriteDelay, limits);
    server.startQuietly("127.0.0.1", 0);
    try {
      int port = server.port();
      int handshakes = 0;
      while (handshakes < HANDSHAKES && System.nanoTime() < deadline) {
        try (Client client = Client.upgrade(port)) {
          client.close(1000);
        }
        handshakes++;
      }
      JitSettling jit = new JitSettling();
      long relayed = relay(port, deadline, jit);
      return new Result(handshakes, relayed, jit.state());
    } finally {
      server.stop();
    }
  }

  /**
   * Publishes to subscribers in cycles of single messages and bursts, at least {@link #CYCLES}
   * and on until C2 is idle; returns how many came back.
   */
  private static long relay(int port, long deadline, JitSettling jit) throws IOException, InterruptedException {
    List<Client> subscribers = new ArrayList<>();
    List<Thread> readers = new ArrayList<>();
    try (Client publisher = Client.upgrade(port)) {
      publisher.send("{\"type\":\"subscribe\",\"topic\":\"" + TOPIC + "\"}");
      for (int i = 0; i < SUBSCRIBERS; i++) {
        Client subscriber = Client.upgrade(port);
        subscribers.add(subscriber);
        subscriber.send("{\"type\":\"subscribe\",\"topic\":\"" + TOPIC + "\"}");
        readers.add(Thread.ofPlatform().daemon().name("reactive-ws-warm-up-reader-" + i).start(subscriber::drain));
      }
      long n = 0;
      for (int c = 0; System.nanoTime() < deadline && (c < CYCLES || !jit.settled()); c++) {
        // The frames real peers send besides messages: pongs to the server's idle pings, pings of
        // clients that watch the connection themselves, and the protocol's own ping.
        publisher.control(OPCODE_PING, PING_BODY);
        publisher.control(OPCODE_PONG, PING_BODY);
        publisher.send("{\"type\":\"ping\"}");
        for (int i = 0; i < SINGLES; i++) {
          publisher.send(publish(n++));
          publisher.awaitRelayed(1);
        }
        for (int i = 0; i < BURST; i++) {
          publisher.send(publish(n++));
        }
        publisher.awaitRelayed(BURST);
        // One subscriber leaves and comes back: the fan-out's size changes, as with real peers.
        String action = c % 2 == 0 ? "unsubscribe" : "subscribe";
        subscribers.get(c % SUBSCRIBERS).send("{\"type\":\"" + action + "\",\"topic\":\"" + TOPIC + "\"}");
      }
      publisher.close(1000);
      return n;
    } finally {
      for (int i = 0; i < subscribers.size(); i++) {
        subscribers.get(i).close(1000);
        readers.get(i).join(TimeUnit.SECONDS.toMillis(2));
        subscribers.get(i).close();
      }
    }
  }

  /** Payloads of the shapes apps send, so that the compiled parser and writer have seen each kind of value. */
  private static String publish(long n) {
    String payload = switch ((int) (n % 5)) {
      case 0 -> "{\"n\":" + n + "}";
      case 1 -> "{\"t\":" + (System.nanoTime() | 1L << 40) + ",\"n\":" + n + "}";
      case 2 -> "{\"user\":\"ana\",\"text\":\"hello, \\\"world\\\" \u00e9\u2713 " + n + "\"}";
      case 3 -> "{\"list\":[" + n + ",2.5,true,false,null,\"x\"],\"nested\":{\"a\":{\"b\":[]}}}";
      default -> "\"text " + n + "\"";
    };
    return "{\"type\":\"publish\",\"topic\":\"" + TOPIC + "\",\"payload\":" + payload + "}";
  }

  /**
   * The JIT under the warm-up's traffic: settled once C2 was idle at {@link #IDLE_CHECKS} checks
   * in a row, or at once where the JVM has no queue to read (the cycles alone count there).
   */
  private static final class JitSettling {
    private final Optional<CompilerQueue> queue = CompilerQueue.ofThisJvm();
    private int idleChecks;
    private Jit state = Jit.UNKNOWN;

    boolean settled() {
      Optional<Boolean> busy = queue.flatMap(CompilerQueue::busy);
      if (busy.isEmpty()) {
        state = Jit.UNKNOWN;
        return true;
      }
      idleChecks = busy.get() ? 0 : idleChecks + 1;
      state = idleChecks >= IDLE_CHECKS ? Jit.IDLE : Jit.BUSY;
      return state == Jit.IDLE;
    }

    /** As the last check found it. */
    Jit state() {
      return state;
    }
  }

  /** Until the JIT compiled nothing for two polls in a row, at most {@link #COMPILER_QUIET_LIMIT}. */
  private static boolean awaitCompilerQuiet() throws InterruptedException {
    CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();
    if (compiler == null || !compiler.isCompilationTimeMonitoringSupported()) {
      return true;
    }
    long deadline = System.nanoTime() + COMPILER_QUIET_LIMIT.toNanos();
    long last = compiler.getTotalCompilationTime();
    int quietPolls = 0;
    while (quietPolls < 2) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      // The compiler's queue has no event to wait on: its total time is all there is to watch.
      Thread.sleep(COMPILER_POLL_MILLIS);
      long now = compiler.getTotalCompilationTime();
      quietPolls = now == last ? quietPolls + 1 : 0;
      last = now;
    }
    return true;
  }

  /** A WebSocket client on a plain blocking socket: masked text frames out, frames in counted. */
  private static final class Client implements AutoCloseable {
    private static final int READ_TIMEOUT_MILLIS = 5_000;
    private static final String RELAYED = "\"topic\":\"" + TOPIC + "\"";

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] mask = new byte[4];
    private final byte[] payload = new byte[512];
    private int payloadLength;
    private boolean closeSent;

    private Client(Socket socket) throws IOException {
      this.socket = socket;
      this.in = new BufferedInputStream(socket.getInputStream());
      this.out = new BufferedOutputStream(socket.getOutputStream());
    }

    static Client upgrade(int port) throws IOException {
      Socket socket = new Socket();
      try {
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        socket.connect(new InetSocketAddress("127.0.0.1", port), READ_TIMEOUT_MILLIS);
        Client client = new Client(socket);
        client.handshake();
        return client;
      } catch (IOException | RuntimeException e) {
        socket.close();
        throw e;
      }
    }

    private void handshake() throws IOException {
      byte[] key = new byte[16];
      ThreadLocalRandom.current().nextBytes(key);
      String head = "GET " + ROUTE + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      StringBuilder answer = new StringBuilder();
      while (!answer.toString().endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          throw new IOException("the warm-up server closed during the handshake");
        }
        answer.append((char) b);
      }
      if (!answer.toString().startsWith("HTTP/1.1 101")) {
        throw new IOException("the warm-up server refused the handshake: " + answer.toString().lines().findFirst().orElse(""));
      }
    }

    void control(int opcode, byte[] body) throws IOException {
      frame(opcode, body);
      out.flush();
    }

    void send(String text) throws IOException {
      frame(OPCODE_TEXT, text.getBytes(StandardCharsets.UTF_8));
      out.flush();
    }

    private void frame(int opcode, byte[] payload) throws IOException {
      out.write(0x80 | opcode);
      if (payload.length < 126) {
        out.write(0x80 | payload.length);
      } else {
        out.write(0x80 | 126);
        out.write(payload.length >>> 8);
        out.write(payload.length & 0xff);
      }
      ThreadLocalRandom.current().nextBytes(mask);
      out.write(mask);
      for (int i = 0; i < payload.length; i++) {
        out.write(payload[i] ^ mask[i & 3]);
      }
    }

    /**
     * Reads frames until {@code count} messages of the relayed topic came (the default topic's
     * counts come between them); a close frame or the end first is an error.
     */
    void awaitRelayed(int count) throws IOException {
      int seen = 0;
      while (seen < count) {
        int opcode = readFrame();
        if (opcode == OPCODE_CLOSE || opcode < 0) {
          throw new IOException("the warm-up server closed the connection");
        }
        if (opcode == OPCODE_TEXT && new String(payload, 0, payloadLength, StandardCharsets.UTF_8).contains(RELAYED)) {
          seen++;
        }
      }
    }

    /** Reads and skips frames until the connection ends. */
    void drain() {
      try {
        while (readFrame() >= 0) {
          // Skipped: the subscribers are there for the server's fan-out, not to check it.
        }
      } catch (IOException e) {
        // The socket closed under the reader: the warm-up is over.
      }
    }

    /** The next frame's opcode, its payload in {@link #payload} (the start of it); -1 at the end of the stream. */
    private int readFrame() throws IOException {
      int first = in.read();
      if (first < 0) {
        return -1;
      }
      int second = in.read();
      if (second < 0) {
        return -1;
      }
      long length = second & 0x7f;
      if (length == 126) {
        length = (in.read() << 8) | in.read();
      } else if (length == 127) {
        length = 0;
        for (int i = 0; i < 8; i++) {
          length = (length << 8) | in.read();
        }
      }
      payloadLength = (int) Math.min(length, payload.length);
      in.readNBytes(payload, 0, payloadLength);
      in.skipNBytes(length - payloadLength);
      return first & 0x0f;
    }

    /** Sends a close frame once; the server answers it and ends the connection. */
    void close(int code) throws IOException {
      if (closeSent || socket.isClosed()) {
        return;
      }
      closeSent = true;
      frame(OPCODE_CLOSE, new byte[] {(byte) (code >>> 8), (byte) code});
      out.flush();
    }

    @Override
    public void close() throws IOException {
      try {
        close(1000);
        while (readFrame() >= 0) {
          // What the server still sends before its close: the connection ends with it.
        }
      } catch (IOException e) {
        // Already gone: nothing to wait for.
      } finally {
        socket.close();
      }
    }
  }
}
