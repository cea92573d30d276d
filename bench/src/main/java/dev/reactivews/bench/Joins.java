package dev.reactivews.bench;

import io.netty.buffer.ByteBuf;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code joins}: connects N peers as fast as the server takes them (at most {@code
 * --connect-concurrency} handshakes in flight) and measures the time until every peer's LAST
 * {@code session} state says {@code users == N}; gives up after {@code --timeout-ms} (600 s).
 */
final class Joins implements LoadGenerator.Scenario {
  private static final JsonScan.Key USERS = JsonScan.Key.of("users");

  private final WsClients clients;
  private final int peers;
  private final int concurrency;
  private final long timeoutMillis;

  // --- event loop only ---
  private int atTarget;
  private long doneAt;
  private long sessionFrames;

  Joins(WsClients clients, Args args) {
    this.clients = clients;
    this.peers = args.integer("peers", 1000);
    this.concurrency = args.integer("connect-concurrency", 1000);
    this.timeoutMillis = args.number("timeout-ms", 600_000);
  }

  @Override
  public void run(ObjectNode out) throws Exception {
    out.put("peers", peers);
    long start = System.nanoTime();
    long deadline = start + timeoutMillis * 1_000_000L;
    WsClients.Opened opened = clients.connectAll(peers, concurrency, i -> this::onText, "joins", deadline);
    long connected = System.nanoTime();
    long left = Math.max(0, (deadline - System.nanoTime()) / 1_000_000L);
    boolean done = LoadGenerator.await(() -> clients.onLoop(() -> doneAt != 0), left);
    out.put("connected", opened.conns().size());
    out.put("connectFailed", opened.failed());
    out.put("connectSeconds", LoadGenerator.round((connected - start) / 1e9, 3));
    clients.onLoop(() -> {
      out.put("peersAtTarget", atTarget);
      out.put("sessionFrames", sessionFrames);
      if (done) {
        out.put("seconds", LoadGenerator.round((doneAt - start) / 1e9, 3));
      } else {
        out.put("timedOut", true);
      }
    });
    Log.progress("joins: %s", done ? "every peer saw users=" + peers : "timed out");
  }

  private void onText(WsClients.Conn conn, ByteBuf text) {
    long users = JsonScan.number(text, USERS);
    if (users == JsonScan.MISSING) {
      return;
    }
    sessionFrames++;
    long previous = conn.lastValue;
    conn.lastValue = users;
    if (previous == peers && users != peers) {
      atTarget--;
    } else if (previous != peers && users == peers) {
      atTarget++;
      if (atTarget == peers && doneAt == 0) {
        doneAt = System.nanoTime();
      }
    }
  }
}
