package dev.reactivews.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;

/**
 * {@code idle}: opens N connections that send nothing and reads the server's resident memory
 * (VmRSS) before and after, once the server has gone quiet (no frame for 2 s): bytes per
 * connection. The server's own heap sizing moves the number too; that is part of what a user pays.
 * A server that admits them too slowly (every join is a {@code session} update to every peer)
 * gets no new connection after {@code --connect-timeout-ms}; the result says how many were open.
 */
final class Idle implements LoadGenerator.Scenario {
  private final WsClients clients;
  private final int connections;
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
    long before = Proc.rssBytes(pid);
    long deadline = System.nanoTime() + connectTimeoutMillis * 1_000_000L;
    WsClients.Opened opened =
        clients.connectAll(connections, concurrency, i -> (conn, text) -> countFrame(text), "idle", deadline);
    boolean quiet = awaitQuiet();
    // RSS trails allocation: a second lets the server's last buffers and GC settle before reading it.
    Thread.sleep(1000);
    long after = Proc.rssBytes(pid);
    int open = clients.onLoop(() -> (int) opened.conns().stream().filter(WsClients.Conn::isOpen).count());
    out.put("connected", opened.conns().size());
    out.put("connectFailed", opened.failed());
    out.put("openAtEnd", open);
    out.put("quiet", quiet);
    out.put("framesReceived", clients.onLoop(() -> frames));
    out.put("serverRssBeforeBytes", before);
    out.put("serverRssAfterBytes", after);
    if (before >= 0 && after >= 0 && open > 0) {
      out.put("bytesPerConnection", Math.round((after - before) / (double) open));
    }
    Log.progress("idle: %d open, RSS %d -> %d MiB", open, before >> 20, after >> 20);
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
