package dev.reactivews.bench;

import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code state}: S clients subscribe to the {@link ListTopic list} the server started with H
 * entries; one more client appends an entry R times a second for T seconds. Each server sends
 * each change its own way: reactive-ws a patch to clients that opt in ({@code rws=1} on the URL,
 * which the others ignore), the seed's pattern the whole list. Reported: bytes per delivery
 * (against the entry's own JSON), deliveries a second, the server's CPU per change.
 */
final class StateFanout implements LoadGenerator.Scenario {
  private static final long QUIET_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final WsClients clients;
  private final int subscribers;
  private final int history;
  private final double rate;
  private final long seconds;
  private final long drainMillis;
  private final long pid;
  private final int concurrency;

  // --- event loop only ---
  private boolean measuring;
  private long frames;
  private long patchFrames;
  private long bytes;
  private long lastFrameNanos;
  private long sent;
  private int reached;
  private final TreeMap<Integer, Integer> closes = new TreeMap<>();

  StateFanout(WsClients clients, Args args) {
    this.clients = clients;
    this.subscribers = args.integer("subscribers", 1000);
    this.history = args.integer("history", 0);
    this.rate = args.decimal("rate", 5);
    this.seconds = args.number("seconds", 10);
    this.drainMillis = args.number("drain-ms", 30_000);
    this.pid = args.number("server-pid", -1);
    this.concurrency = args.integer("connect-concurrency", 256);
    if (subscribers < 1 || rate <= 0 || seconds <= 0) {
      throw new IllegalArgumentException("need --subscribers >= 1, --rate > 0, --seconds > 0");
    }
  }

  @Override
  public void run(ObjectNode out) throws Exception {
    out.put("subscribers", subscribers);
    out.put("history", history);
    out.put("rate", rate);
    out.put("seconds", seconds);
    WsClients.Opened subs = clients.connectAll(subscribers, concurrency, i -> new Subscriber(), "subscribers");
    WsClients.Opened pub = clients.connectAll(1, 1, i -> (conn, text) -> { }, "publisher");
    out.put("connected", subs.conns().size());
    out.put("connectFailed", subs.failed());
    if (pub.conns().isEmpty() || subs.conns().isEmpty()) {
      throw new IllegalStateException("could not connect: " + (pub.firstError() != null ? pub.firstError() : subs.firstError()));
    }
    List<WsClients.Conn> conns = subs.conns();
    WsClients.Conn publisher = pub.conns().getFirst();
    clients.onLoop(() -> conns.forEach(c -> c.send("{\"type\":\"subscribe\",\"topic\":\"" + ListTopic.TOPIC + "\"}")));
    long next = probe(publisher, conns.size());
    awaitQuiet();

    long cpuBefore = Proc.cpuNanos(pid);
    long start = System.nanoTime();
    long period = (long) (1e9 / rate);
    long changes = Math.max(1, Math.round(rate * seconds));
    ScheduledFuture<?> sending = clients.onLoop(() -> {
      measuring = true;
      return clients.loop().scheduleAtFixedRate(() -> {
        if (sent < changes) {
          publisher.send(ListTopic.publish(next + sent));
          sent++;
        }
      }, 0, period, TimeUnit.NANOSECONDS);
    });
    long expected = changes * conns.size();
    LoadGenerator.await(() -> clients.onLoop(() -> sent >= changes), TimeUnit.SECONDS.toMillis(seconds) * 2 + 10_000);
    sending.cancel(false);
    boolean complete = LoadGenerator.await(() -> clients.onLoop(() -> frames >= expected
        || System.nanoTime() - lastFrameNanos > 3 * QUIET_NANOS), drainMillis);
    long cpuAfter = Proc.cpuNanos(pid);
    clients.onLoop(() -> {
      measuring = false;
      long entryBytes = ListTopic.entry(next).length();
      double elapsed = Math.max(1, lastFrameNanos - start) / 1e9;
      out.put("changes", sent);
      out.put("entryBytes", entryBytes);
      out.put("deliveries", frames);
      out.put("deliveredRatio", LoadGenerator.round((double) frames / expected, 4));
      out.put("patchDeliveries", patchFrames);
      if (frames > 0) {
        double perDelivery = (double) bytes / frames;
        out.put("bytesPerDelivery", LoadGenerator.round(perDelivery, 1));
        out.put("bytesPerDeliveryOverEntry", LoadGenerator.round(perDelivery / entryBytes, 2));
      }
      out.put("deliveriesPerSec", LoadGenerator.round(frames / elapsed, 1));
      out.put("drained", complete && frames >= expected);
      if (cpuBefore >= 0 && cpuAfter >= 0 && sent > 0) {
        out.put("serverCpuMicrosPerChange", LoadGenerator.round((cpuAfter - cpuBefore) / 1e3 / sent, 1));
      }
      ObjectNode closed = out.putObject("closes");
      closes.forEach((code, count) -> closed.put(Integer.toString(code), count));
    });
    LoadGenerator.putRss(out, "serverRssBytes", pid);
    Log.progress("state: H=%d, %s", history, out);
  }

  /**
   * Appends probe entries until every subscriber got a frame of the list: no subscribe is
   * acknowledged by the seed's protocol. Returns the entry number the measured appends start at.
   */
  private long probe(WsClients.Conn publisher, int expected) throws InterruptedException {
    long n = ListTopic.FIRST_SENT;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (clients.onLoop(() -> reached) < expected && System.nanoTime() < deadline) {
      long entry = n++;
      clients.onLoop(() -> publisher.send(ListTopic.publish(entry)));
      // A probe every 500 ms until every subscriber has a frame: no subscribe is acknowledged.
      Thread.sleep(500);
    }
    int got = clients.onLoop(() -> reached);
    Log.progress("subscriptions in place: %d/%d", got, expected);
    if (got < expected) {
      throw new IllegalStateException("only " + got + " of " + expected + " subscribers got the list in 60 s");
    }
    return n;
  }

  /** Waits until no frame of the list came for a second: the probes' deliveries are over. */
  private void awaitQuiet() throws InterruptedException {
    if (!LoadGenerator.await(() -> clients.onLoop(() -> System.nanoTime() - lastFrameNanos > QUIET_NANOS), 60_000)) {
      throw new IllegalStateException("the probes' deliveries did not end within 60 s");
    }
  }

  private final class Subscriber implements WsClients.Listener {
    @Override
    public void onText(WsClients.Conn conn, ByteBuf text) {
      ListTopic.Head head = ListTopic.Head.of(text);
      if (head == null) {
        return;
      }
      lastFrameNanos = System.nanoTime();
      if (!conn.flag) {
        conn.flag = true;
        reached++;
      }
      if (measuring) {
        frames++;
        bytes += text.readableBytes();
        if (head.patch()) {
          patchFrames++;
        }
      }
    }

    @Override
    public void onClose(WsClients.Conn conn, int code) {
      closes.merge(code, 1, Integer::sum);
    }
  }
}
