package dev.reactivews.bench;

import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code fanout} and {@code slow}: S clients subscribe to {@code bench}; one more client
 * publishes {@code {"t":<nanoTime>,"n":<seq>}} to it open-loop, on a fixed schedule, at R
 * messages a second. Latency is receive time minus {@code t}, and {@code t} is the time the
 * message was DUE, not when it went out: a sender that falls behind shows as latency (and is
 * counted in {@code sendLate}), never hides it.
 *
 * <p>{@code --saturate} steps R up by {@code --step} (1.5) every {@code --seconds} until fewer
 * than 95% of the deliveries arrive or p99 passes 1 s, and reports the best step that passed; a
 * failing rate is tried {@code --retries} (1) more times first, so one stall of a shared machine
 * does not end the search. A step also fails when the load generator's sender fell more than 10%
 * behind its schedule (its one event loop busy with deliveries). When the failing step's load
 * generator was the limit (sender behind, or its core 90% busy while the server's was not), the
 * best step is only a lower bound of what the server sustains ({@code bestIsLowerBound}).
 * Every window also reports how busy each core of the machine was ({@code coreBusyShares}),
 * whoever kept it busy: a core shared with another job shows there, not in the process's CPU.
 * {@code slow}: a window while every subscriber reads ({@code whileAllRead}), then subscriber 0
 * stops reading and the same window again: the others' latency against the first window's
 * ({@code p99VsAllReading}), the slow one's close code and the server's RSS are reported.
 *
 * <p>(Long because the search, its windows and their report are one procedure; the sockets are
 * {@link WsClients}'.)
 */
final class Fanout implements LoadGenerator.Scenario {
  static final String TOPIC = "bench";
  private static final JsonScan.Key T = JsonScan.Key.of("t");
  private static final JsonScan.Key N = JsonScan.Key.of("n");
  /** A message sent later than this after it was due counts as late. */
  private static final long LATE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  /**
   * A window whose sending took this much longer than planned measured the load generator's own
   * event loop (busy reading deliveries), not the server: the sender never waits on the server.
   */
  private static final double SENDER_BEHIND = 1.1;
  /**
   * A failing step whose load generator was this busy while the server was not was ended by the
   * load generator's one core, so the best step is a lower bound of the server's.
   */
  private static final double BUSY_SHARE = 0.9;
  /** The sender wakes up at most this often; it sends everything due at each wake-up. */
  private static final long TICK_NANOS = 250_000;

  private final WsClients clients;
  private final boolean slowMode;
  private final int subscribers;
  private final double rate;
  private final long seconds;
  private final boolean saturate;
  private final double step;
  private final int maxSteps;
  private final int retries;
  private final long warmupSeconds;
  private final long drainMillis;
  private final long pid;
  private final int concurrency;
  private final int padBytes;
  private final String pad;

  private static final int SLICE_SECONDS = 10;

  // --- state of the event loop thread only ---
  /** Nanoseconds, three significant digits, grown as needed; recorded on the generator's one loop. */
  private final Histogram histogram = new Histogram(3);
  /**
   * The same, for each {@value #SLICE_SECONDS} s of the window by when a message was due: where
   * in a server's first minute its slow messages are.
   */
  private Histogram[] slices = new Histogram[0];
  /** Messages due in one slice. */
  private long perSlice = 1;
  /** Deliveries of the current window, the slow subscriber's excepted. */
  private long delivered;
  /** When the window's last delivery arrived. */
  private long lastDeliveryNanos;
  /** Sequence numbers [windowFirst, windowEnd) belong to the window being measured. */
  private long windowFirst = Long.MAX_VALUE;
  private long windowEnd = Long.MAX_VALUE;
  private int probed;
  private WsClients.Conn slow;
  private long slowReceived;
  private WsClients.Conn publisher;
  private int publisherClose = Integer.MIN_VALUE;
  private long nextSeq;

  Fanout(WsClients clients, Args args, boolean slowMode) {
    this.clients = clients;
    this.slowMode = slowMode;
    this.subscribers = args.integer("subscribers", slowMode ? 50 : 100);
    this.rate = args.decimal("rate", slowMode ? 500 : 1000);
    this.seconds = args.number("seconds", 10);
    this.saturate = !slowMode && args.flag("saturate");
    this.step = args.decimal("step", 1.5);
    this.maxSteps = args.integer("max-steps", 30);
    this.retries = saturate ? args.integer("retries", 1) : 0;
    this.warmupSeconds = args.number("warmup", 2);
    this.drainMillis = args.number("drain-ms", 10_000);
    this.pid = args.number("server-pid", -1);
    this.concurrency = args.integer("connect-concurrency", 256);
    this.padBytes = Math.max(0, args.integer("payload-bytes", slowMode ? 2048 : 0));
    this.pad = padBytes <= 0 ? "" : ",\"pad\":\"" + "x".repeat(padBytes) + "\"";
    if (subscribers < (slowMode ? 2 : 1) || rate <= 0 || seconds <= 0) {
      throw new IllegalArgumentException("need --subscribers >= " + (slowMode ? 2 : 1) + ", --rate > 0, --seconds > 0");
    }
  }

  @Override
  public void run(ObjectNode out) throws Exception {
    out.put("subscribers", subscribers);
    out.put("seconds", seconds);
    if (padBytes > 0) {
      out.put("payloadPadBytes", padBytes);
    }
    WsClients.Opened subs = clients.connectAll(subscribers, concurrency, i -> new Subscriber(), "subscribers");
    WsClients.Opened pub = clients.connectAll(1, 1, i -> new PublisherListener(), "publisher");
    out.put("connected", subs.conns().size());
    out.put("connectFailed", subs.failed());
    if (pub.conns().isEmpty() || subs.conns().isEmpty()) {
      throw new IllegalStateException("could not connect: " + (pub.firstError() != null ? pub.firstError() : subs.firstError()));
    }
    List<WsClients.Conn> conns = subs.conns();
    clients.onLoop(() -> {
      publisher = pub.conns().getFirst();
      for (WsClients.Conn c : conns) {
        c.send("{\"type\":\"subscribe\",\"topic\":\"" + TOPIC + "\"}");
      }
    });
    probe(conns.size());
    if (slowMode) {
      // From now on subscriber 0's deliveries are kept out of the measured ones, before it stops too.
      clients.onLoop(() -> slow = conns.getFirst());
    }
    int measured = conns.size() - (slowMode ? 1 : 0);
    if (warmupSeconds > 0) {
      Log.progress("warm-up: %.0f msg/s for %d s", rate, warmupSeconds);
      window(rate, warmupSeconds, measured);
    }
    if (saturate) {
      saturate(out, measured);
    } else if (slowMode) {
      out.put("rate", rate);
      ObjectNode baseline = window(rate, seconds, measured);
      out.set("whileAllRead", baseline);
      clients.onLoop(() -> {
        slowReceived = 0;
        slow.channel.config().setAutoRead(false);
      });
      Log.progress("subscriber 0 stopped reading");
      ObjectNode result = window(rate, seconds, measured);
      out.setAll(result);
      double before = baseline.path("p99Ms").asDouble();
      if (before > 0) {
        out.put("p99VsAllReading", LoadGenerator.round(result.path("p99Ms").asDouble() / before, 2));
      }
    } else {
      out.put("rate", rate);
      ObjectNode result = window(rate, seconds, measured);
      out.setAll(result);
    }
    if (slowMode) {
      slowOutcome(out);
    }
    LoadGenerator.putRss(out, "serverRssBytes", pid);
    int closeCode = clients.onLoop(() -> publisherClose);
    if (closeCode != Integer.MIN_VALUE) {
      out.put("publisherClose", closeCode);
    }
  }

  /** Publishes probes until every subscriber got one, so every subscription is in place. */
  private void probe(int expected) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (clients.onLoop(() -> probed) < expected && System.nanoTime() < deadline) {
      clients.onLoop(() -> publisher.send(publish(0, -1)));
      // A probe every 200 ms until every subscriber has one: no subscribe is acknowledged.
      Thread.sleep(200);
    }
    int got = clients.onLoop(() -> probed);
    Log.progress("subscriptions in place: %d/%d", got, expected);
    if (got < expected) {
      throw new IllegalStateException("only " + got + " of " + expected + " subscribers got a probe in 60 s");
    }
  }

  private void saturate(ObjectNode out, int measured) throws Exception {
    ArrayNode steps = out.putArray("steps");
    ObjectNode best = null;
    // Until a step fails, the search has not found the server's limit.
    boolean lowerBound = true;
    double r = rate;
    int retried = 0;
    for (int i = 0; i < maxSteps; i++) {
      Log.progress("step %d: %.0f msg/s x %d subscribers", i + 1, r, measured);
      ObjectNode result = window(r, seconds, measured);
      result.put("rate", LoadGenerator.round(r, 1));
      steps.add(result);
      double ratio = result.get("deliveredRatio").asDouble();
      double p99 = result.get("p99Ms").asDouble();
      boolean publisherClosed = clients.onLoop(() -> publisherClose) != Integer.MIN_VALUE;
      boolean senderBehind = result.get("senderBehind").asBoolean();
      boolean passed = ratio >= 0.95 && p99 <= 1000 && !publisherClosed && !senderBehind;
      result.put("passed", passed);
      Log.progress("step %d: %.0f deliveries/s, %.1f%% delivered, p99 %.2f ms%s", i + 1,
          result.get("deliveriesPerSec").asDouble(), ratio * 100, p99, passed ? "" : " -> saturated");
      if (!passed && retried < retries && !publisherClosed) {
        retried++; // a stall of the machine, not of the server, fails one step: try the rate again
        Log.progress("step %d: trying %.0f msg/s again", i + 1, r);
        continue;
      }
      if (!passed) {
        out.put("saturatedAtRate", LoadGenerator.round(r, 1));
        out.put("saturatedBy", publisherClosed ? "publisher closed"
            : senderBehind ? "load generator's sender behind" : ratio < 0.95 ? "loss" : "p99 over 1 s");
        double clientShare = result.path("clientCpuShare").asDouble();
        double serverShare = result.path("serverCpuShare").asDouble();
        out.put("saturatedClientCpuShare", clientShare);
        out.put("saturatedServerCpuShare", serverShare);
        lowerBound = !publisherClosed && (senderBehind || (clientShare >= BUSY_SHARE && serverShare < BUSY_SHARE));
        break;
      }
      retried = 0;
      if (best == null || result.get("deliveriesPerSec").asDouble() > best.get("deliveriesPerSec").asDouble()) {
        best = result;
      }
      r *= step;
    }
    if (!out.has("saturatedBy")) {
      out.put("saturatedBy", "not reached in " + maxSteps + " steps");
    }
    if (best != null) {
      out.put("bestRate", best.get("rate").asDouble());
      out.put("bestDeliveriesPerSec", best.get("deliveriesPerSec").asDouble());
      out.put("bestP50Ms", best.get("p50Ms").asDouble());
      out.put("bestP99Ms", best.get("p99Ms").asDouble());
      out.put("bestP999Ms", best.get("p999Ms").asDouble());
      out.put("bestIsLowerBound", lowerBound);
    } else {
      out.put("bestDeliveriesPerSec", 0);
    }
  }

  /**
   * Sends at the rate for the seconds, then waits until every delivery arrived or none came for
   * 2 s (at most {@code --drain-ms}); returns what the window measured.
   */
  private ObjectNode window(double msgsPerSec, long windowSeconds, int measured) throws Exception {
    long total = Math.max(1, Math.round(msgsPerSec * windowSeconds));
    long intervalNanos = Math.round(1e9 / msgsPerSec);
    long cpuBefore = Proc.cpuNanos(pid);
    long clientCpuBefore = Proc.cpuNanos(ProcessHandle.current().pid());
    long[][] coresBefore = Proc.cpuTicks();
    Sender sender = clients.onLoop(() -> {
      histogram.reset();
      perSlice = Math.max(1, Math.round(msgsPerSec * SLICE_SECONDS));
      slices = new Histogram[(int) ((total + perSlice - 1) / perSlice)];
      for (int i = 0; i < slices.length; i++) {
        slices[i] = new Histogram(3);
      }
      delivered = 0;
      lastDeliveryNanos = 0;
      windowFirst = nextSeq;
      windowEnd = nextSeq + total;
      nextSeq += total;
      Sender s = new Sender(windowFirst, total, intervalNanos);
      s.start();
      return s;
    });
    long started = System.nanoTime();
    sender.done.get();
    long sendNanos = System.nanoTime() - started;
    long expected = sender.sent * (long) measured;
    long last = -1;
    long lastChange = System.nanoTime();
    long drainDeadline = System.nanoTime() + drainMillis * 1_000_000L;
    while (true) {
      long got = clients.onLoop(() -> delivered);
      long now = System.nanoTime();
      if (got >= expected || now > drainDeadline) {
        break;
      }
      if (got != last) {
        last = got;
        lastChange = now;
      } else if (now - lastChange > TimeUnit.SECONDS.toNanos(2)) {
        break;
      }
      // The counters belong to the event loop; this thread only samples them, off the hot path.
      Thread.sleep(20);
    }
    long cpuAfter = Proc.cpuNanos(pid);
    long clientCpu = Proc.cpuNanos(ProcessHandle.current().pid()) - clientCpuBefore;
    long[][] coresAfter = Proc.cpuTicks();
    return clients.onLoop(() -> {
      // Rates and shares are over the time the window was active: until its last delivery (or
      // the end of sending), not the quiet wait that ends the drain.
      long activeNanos = Math.max(sendNanos, lastDeliveryNanos - started);
      windowFirst = Long.MAX_VALUE; // later arrivals count nowhere
      ObjectNode r = LoadGenerator.JSON.createObjectNode();
      r.put("sent", sender.sent);
      r.put("sendLate", sender.late);
      r.put("maxSendLagMs", LoadGenerator.millis(sender.maxLag));
      r.put("sendSeconds", LoadGenerator.round(sendNanos / 1e9, 3));
      r.put("expected", expected);
      r.put("delivered", delivered);
      r.put("lost", expected - delivered);
      r.put("deliveredRatio", expected == 0 ? 0 : LoadGenerator.round((double) delivered / expected, 4));
      r.put("activeSeconds", LoadGenerator.round(activeNanos / 1e9, 3));
      r.put("deliveriesPerSec", LoadGenerator.round(delivered / (activeNanos / 1e9), 1));
      r.put("p50Ms", LoadGenerator.millis(histogram.getValueAtPercentile(50)));
      r.put("p99Ms", LoadGenerator.millis(histogram.getValueAtPercentile(99)));
      r.put("p999Ms", LoadGenerator.millis(histogram.getValueAtPercentile(99.9)));
      r.put("maxMs", LoadGenerator.millis(histogram.getMaxValue()));
      ArrayNode sliceP99 = r.putArray("p99MsEach" + SLICE_SECONDS + "s");
      for (Histogram slice : slices) {
        sliceP99.add(LoadGenerator.millis(slice.getValueAtPercentile(99)));
      }
      // Near 1.0, the load generator's one core was the limit, not the server.
      double clientShare = clientCpu / (double) activeNanos;
      r.put("clientCpuShare", LoadGenerator.round(clientShare, 3));
      r.put("senderBehind", sendNanos > SENDER_BEHIND * windowSeconds * 1e9);
      ArrayNode cores = r.putArray("coreBusyShares");
      for (int c = 0; c < Math.min(coresBefore.length, coresAfter.length); c++) {
        long ticks = coresAfter[c][1] - coresBefore[c][1];
        cores.add(ticks <= 0 ? 0 : LoadGenerator.round((coresAfter[c][0] - coresBefore[c][0]) / (double) ticks, 3));
      }
      if (cpuBefore >= 0 && cpuAfter >= 0) {
        long cpu = cpuAfter - cpuBefore;
        r.put("serverCpuSeconds", LoadGenerator.round(cpu / 1e9, 3));
        // Near 1.0 (or above, with threads on more cores), the server's core was the limit.
        r.put("serverCpuShare", LoadGenerator.round(cpu / (double) activeNanos, 3));
        if (delivered > 0) {
          r.put("serverCpuMicrosPerDelivery", LoadGenerator.round(cpu / 1e3 / delivered, 3));
        }
      }
      return r;
    });
  }

  /** Turns the slow subscriber's reading back on and sees how the server left it. */
  private void slowOutcome(ObjectNode out) throws InterruptedException {
    LoadGenerator.putRss(out, "serverRssBeforeDrainBytes", pid);
    clients.onLoop(() -> {
      slow.channel.config().setAutoRead(true);
      slow.channel.read();
    });
    // It reads what the sockets held, then finds the close frame (or the end) if the server closed it.
    long last = -1;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      long[] state = clients.onLoop(() -> new long[] {slow.closed ? 1 : 0, slowReceived});
      if (state[0] == 1) {
        break;
      }
      if (state[1] == last) {
        Thread.sleep(1000); // a second without data: nothing more is coming
        if (clients.onLoop(() -> slowReceived) == last) {
          break;
        }
      }
      last = state[1];
      // Sampling, as above: the loop thread must not be held by the waiting.
      Thread.sleep(50);
    }
    clients.onLoop(() -> {
      out.put("slowReceived", slowReceived);
      if (slow.closed) {
        if (slow.closeCode >= 0) {
          out.put("slowClose", slow.closeCode);
        } else {
          out.put("slowClose", "closed without a close frame");
        }
      } else {
        out.put("slowClose", "none: still open");
      }
    });
  }

  private String publish(long t, long n) {
    return "{\"type\":\"publish\",\"topic\":\"" + TOPIC + "\",\"payload\":{\"t\":" + t + ",\"n\":" + n + pad + "}}";
  }

  /** Sends one window's messages on schedule, from the event loop. */
  private final class Sender implements Runnable {
    final CompletableFuture<Void> done = new CompletableFuture<>();
    private final long first;
    private final long total;
    private final long interval;
    private long start;
    long sent;
    long late;
    long maxLag;

    Sender(long first, long total, long interval) {
      this.first = first;
      this.total = total;
      this.interval = interval;
    }

    void start() {
      start = System.nanoTime();
      run();
    }

    @Override
    public void run() {
      long now = System.nanoTime();
      boolean wrote = false;
      while (sent < total && start + sent * interval <= now) {
        if (!publisher.isOpen()) {
          done.complete(null);
          return;
        }
        long due = start + sent * interval;
        long lag = now - due;
        if (lag > LATE_NANOS) {
          late++;
        }
        maxLag = Math.max(maxLag, lag);
        publisher.write(publish(due, first + sent));
        sent++;
        wrote = true;
      }
      if (wrote) {
        publisher.flush();
      }
      if (sent >= total) {
        done.complete(null);
        return;
      }
      long wait = Math.max(TICK_NANOS, start + sent * interval - System.nanoTime());
      clients.loop().schedule(this, wait, TimeUnit.NANOSECONDS);
    }
  }

  private final class Subscriber implements WsClients.Listener {
    @Override
    public void onText(WsClients.Conn conn, ByteBuf text) {
      long t = JsonScan.number(text, T);
      if (t == JsonScan.MISSING) {
        return; // session and other states
      }
      long now = System.nanoTime();
      long n = JsonScan.number(text, N);
      if (n < 0) {
        if (!conn.flag) {
          conn.flag = true;
          probed++;
        }
        return;
      }
      if (conn == slow) {
        slowReceived++;
        return;
      }
      if (n >= windowFirst && n < windowEnd) {
        delivered++;
        lastDeliveryNanos = now;
        histogram.recordValue(Math.max(0, now - t));
        slices[(int) ((n - windowFirst) / perSlice)].recordValue(Math.max(0, now - t));
      }
    }
  }

  private final class PublisherListener implements WsClients.Listener {
    @Override
    public void onText(WsClients.Conn conn, ByteBuf text) {}

    @Override
    public void onClose(WsClients.Conn conn, int code) {
      publisherClose = code;
      Log.progress("the publisher's connection closed: %d", code);
    }
  }
}
