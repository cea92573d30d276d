package dev.reactivews.bench;

import io.netty.buffer.ByteBuf;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code idle}: opens N connections that send nothing and reads the server's resident memory
 * (VmRSS) before and after, once the server has gone quiet (no frame for 2 s): bytes per
 * connection. The server's own heap sizing moves the number too; that is part of what a user pays.
 * A server that admits them too slowly (every join is a {@code session} update to every peer)
 * gets no new connection after {@code --connect-timeout-ms}; the result says how many were open.
 *
 * <p>"Before" is the server at rest after it has served traffic, not the fresh process: a
 * just-started runtime has not yet touched the memory it keeps whatever its connection count
 * (a JVM's young generation, Node's semispaces, JIT code, buffer pools), and charging that to
 * the connections would measure the runtime's start-up instead. So warm-up waves of {@code
 * --warmup-connections} come, go quiet and leave, until the server's RSS after a wave grows by
 * less than {@value #SETTLED_GROWTH} of the one before (at most {@code --warmup-waves}); the
 * fresh process's RSS and the per-connection figure measured from it are reported too.
 */
final class Idle implements LoadGenerator.Scenario {
  /** A wave that grows RSS by less than this share leaves it settled. */
  private static final double SETTLED_GROWTH = 0.02;

  private final WsClients clients;
  private final int connections;
  private final int warmupConnections;
  private final int warmupWaves;
  private final long pid;
  private final int concurrency;
  private final long quietTimeoutMillis;
  private final long connectTimeoutMillis;

  // --- event loop only ---
  private long frames;
  private long lastFrameNanos = System.nanoTime();

  Idle(WsClients clients, Args args) {
    this.clients = clients;
    this.connections = args.integer("connections", 1000);
    this.warmupConnections = args.integer("warmup-connections", 2000);
    this.warmupWaves = args.integer("warmup-waves", 5);
    this.pid = args.number("server-pid", -1);
    this.concurrency = args.integer("connect-concurrency", 256);
    this.quietTimeoutMillis = args.number("quiet-timeout-ms", 120_000);
    this.connectTimeoutMillis = args.number("connect-timeout-ms", 600_000);
    if (pid <= 0) {
      throw new IllegalArgumentException("idle needs --server-pid");
    }
  }

  @Override
  public void run(ObjectNode out) throws Exception {
    out.put("connections", connections);
    long cold = Proc.rssBytes(pid);
    int waves = warmUp();
    long before = Proc.rssBytes(pid);
    long deadline = System.nanoTime() + connectTimeoutMillis * 1_000_000L;
    WsClients.Opened opened =
        clients.connectAll(connections, concurrency, i -> (conn, text) -> countFrame(text), "idle", deadline);
    boolean quiet = awaitQuiet();
    long after = settledRss();
    int open = clients.onLoop(() -> (int) opened.conns().stream().filter(WsClients.Conn::isOpen).count());
    out.put("connected", opened.conns().size());
    out.put("connectFailed", opened.failed());
    out.put("openAtEnd", open);
    out.put("quiet", quiet);
    out.put("framesReceived", clients.onLoop(() -> frames));
    out.put("warmupConnections", warmupConnections);
    out.put("warmupWaves", waves);
    out.put("serverRssColdBytes", cold);
    out.put("serverRssBeforeBytes", before);
    out.put("serverRssAfterBytes", after);
    if (before >= 0 && after >= 0 && open > 0) {
      out.put("bytesPerConnection", Math.round((after - before) / (double) open));
      out.put("coldBytesPerConnection", Math.round((after - cold) / (double) open));
    }
    Log.progress("idle: %d open, RSS %d (fresh) -> %d (after %d warm-up waves) -> %d MiB",
        open, cold >> 20, before >> 20, waves, after >> 20);
  }

  /** Runs warm-up waves until the server's RSS settles; the number of waves run. */
  private int warmUp() throws InterruptedException {
    if (warmupConnections <= 0) {
      return 0;
    }
    long last = Proc.rssBytes(pid);
    for (int wave = 1; wave <= warmupWaves; wave++) {
      WsClients.Opened opened =
          clients.connectAll(warmupConnections, concurrency, i -> (conn, text) -> countFrame(text), "warm-up");
      awaitQuiet();
      clients.closeAll(opened.conns());
      long rss = settledRss();
      Log.progress("warm-up wave %d: RSS %d MiB", wave, rss >> 20);
      if (last > 0 && rss < last * (1 + SETTLED_GROWTH)) {
        return wave;
      }
      last = rss;
    }
    return warmupWaves;
  }

  private long settledRss() throws InterruptedException {
    // RSS trails allocation, and a server handles closes after the client saw them: a couple
    // of seconds let its last buffers, close hooks and GC settle; nothing to wait on from here.
    Thread.sleep(2000);
    return Proc.rssBytes(pid);
  }

  private void countFrame(ByteBuf text) {
    frames++;
    lastFrameNanos = System.nanoTime();
  }

  /** Waits until no frame came for 2 s (the join updates are over); false at the timeout. */
  private boolean awaitQuiet() throws InterruptedException {
    return LoadGenerator.await(
        () -> clients.onLoop(() -> System.nanoTime() - lastFrameNanos > 2_000_000_000L), quietTimeoutMillis);
  }
}
