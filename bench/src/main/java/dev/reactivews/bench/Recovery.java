package dev.reactivews.bench;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code recovery}: C clients that keep versions ({@code rws=1}) hold the {@link ListTopic list};
 * all are cut off at once (their TCP connections closed), K changes happen, and all come back
 * saying which version they hold. Reported: the bytes of the list each got back against the K
 * changes' own frames (as a client that stayed connected got them), and the time from the
 * first reconnect until the last client holds the newest version. Only a server that sends
 * versions can be measured; the seed's protocol has no recovery.
 */
final class Recovery implements LoadGenerator.Scenario {
  private final WsClients clients;
  private final int count;
  private final int changes;
  private final int history;
  private final long timeoutMillis;
  private final int concurrency;

  // --- event loop only: per client, the version held and what came since it reconnected ---
  private final Held[] holds;
  private final long[] recoveryBytes;
  private long watcherBytes;
  private final Held watcherHeld = new Held();
  private long target = Long.MAX_VALUE;
  private int consistent;
  private long lastConsistentNanos;

  Recovery(WsClients clients, Args args) {
    this.clients = clients;
    this.count = args.integer("clients", 1000);
    this.changes = args.integer("changes", 10);
    this.history = args.integer("history", 0);
    this.timeoutMillis = args.number("timeout-ms", 30_000);
    this.concurrency = args.integer("connect-concurrency", 256);
    if (count < 1 || changes < 1) {
      throw new IllegalArgumentException("need --clients >= 1, --changes >= 1");
    }
    this.holds = new Held[count];
    this.recoveryBytes = new long[count];
    Arrays.setAll(holds, i -> new Held());
  }

  @Override
  public void run(ObjectNode out) throws Exception {
    out.put("clients", count);
    out.put("changes", changes);
    out.put("history", history);
    WsClients.Opened watcherOpened = clients.connectAll(1, 1, i -> new Watcher(), "watcher");
    WsClients.Opened first = clients.connectAll(count, concurrency, i -> new Holder(false), "clients");
    if (watcherOpened.conns().isEmpty() || first.conns().size() < count) {
      throw new IllegalStateException("could not connect: " + first.failed() + " failed, " + first.firstError());
    }
    WsClients.Conn watcher = watcherOpened.conns().getFirst();
    List<WsClients.Conn> conns = first.conns();
    clients.onLoop(() -> {
      watcher.send(subscribe(null, ListTopic.Head.NONE));
      conns.forEach(c -> c.send(subscribe(null, ListTopic.Head.NONE)));
    });
    clients.onLoop(() -> watcher.send(ListTopic.publish(ListTopic.FIRST_SENT)));
    if (!LoadGenerator.await(() -> clients.onLoop(() -> watcherHeld.version > 0 && allHold(watcherHeld.version)), 60_000)) {
      throw new IllegalStateException("not every client holds a version of the list after 60 s: "
          + "this server sends no versions, so there is no recovery to measure");
    }
    long held = clients.onLoop(() -> watcherHeld.version);
    out.put("heldVersion", held);

    clients.closeAll(conns);
    clients.onLoop(() -> {
      watcherBytes = 0;
      for (int k = 1; k <= changes; k++) {
        watcher.write(ListTopic.publish(ListTopic.FIRST_SENT + k));
      }
      watcher.flush();
    });
    if (!LoadGenerator.await(() -> clients.onLoop(() -> watcherHeld.version >= held + changes), 60_000)) {
      throw new IllegalStateException("the " + changes + " changes did not reach the connected watcher in 60 s");
    }
    long watcherGot = clients.onLoop(() -> watcherBytes);
    long entriesBytes = entriesBytes();
    clients.onLoop(() -> target = watcherHeld.version);

    long start = System.nanoTime();
    WsClients.Opened again = clients.connectAll(count, concurrency, i -> new Holder(true), "reconnecting clients");
    boolean all = LoadGenerator.await(() -> clients.onLoop(() -> consistent >= count), timeoutMillis);
    clients.onLoop(() -> {
      long total = 0;
      long max = 0;
      for (long b : recoveryBytes) {
        total += b;
        max = Math.max(max, b);
      }
      double mean = (double) total / count;
      out.put("reconnected", again.conns().size());
      out.put("changeBytes", entriesBytes);
      out.put("connectedClientBytes", watcherGot);
      out.put("recoveryBytesPerClient", LoadGenerator.round(mean, 1));
      out.put("recoveryBytesMax", max);
      out.put("recoveryOverChanges", LoadGenerator.round(mean / entriesBytes, 2));
      out.put("consistent", consistent);
      out.put("allConsistent", all);
      if (consistent > 0) {
        out.put("consistentMillis", LoadGenerator.millis(lastConsistentNanos - start));
      }
    });
    Log.progress("recovery: %s", out);
  }

  /** The JSON of the entries the changes appended. */
  private long entriesBytes() {
    long bytes = 0;
    for (int k = 1; k <= changes; k++) {
      bytes += ListTopic.entry(ListTopic.FIRST_SENT + k).length();
    }
    return bytes;
  }

  private boolean allHold(long version) {
    for (Held held : holds) {
      if (held.version < version) {
        return false;
      }
    }
    return true;
  }

  private static String subscribe(String epoch, long version) {
    String held = version == ListTopic.Head.NONE ? "" : ",\"epoch\":\"" + epoch + "\",\"v\":" + version;
    return "{\"type\":\"subscribe\",\"topic\":\"" + ListTopic.TOPIC + "\"" + held + "}";
  }

  /** The version of the list a client holds: a state sets it, a patch that follows on moves it on. Event loop only. */
  private static final class Held {
    String epoch = "0";
    long version = ListTopic.Head.NONE;

    void take(ListTopic.Head head) {
      if (!head.patch()) {
        epoch = head.epoch();
        version = head.version();
      } else if (head.version() == version + 1) {
        version = head.version();
      }
    }
  }

  /** A client of the list: keeps the version it holds, as a delta client does. */
  private final class Holder implements WsClients.Listener {
    private final boolean recovering;

    Holder(boolean recovering) {
      this.recovering = recovering;
    }

    @Override
    public void onOpen(WsClients.Conn conn) {
      if (recovering) {
        conn.send(subscribe(holds[conn.index].epoch, holds[conn.index].version));
      }
    }

    @Override
    public void onText(WsClients.Conn conn, ByteBuf text) {
      ListTopic.Head head = ListTopic.Head.of(text);
      if (head == null) {
        return;
      }
      int i = conn.index;
      if (recovering) {
        recoveryBytes[i] += text.readableBytes();
      }
      Held held = holds[i];
      held.take(head);
      if (recovering && !conn.flag && held.version == target && watcherHeld.epoch.equals(held.epoch)) {
        conn.flag = true;
        consistent++;
        lastConsistentNanos = System.nanoTime();
      }
    }
  }

  /** The client that stays connected: publishes the changes and shows what they cost on the wire. */
  private final class Watcher implements WsClients.Listener {
    @Override
    public void onText(WsClients.Conn conn, ByteBuf text) {
      ListTopic.Head head = ListTopic.Head.of(text);
      if (head == null) {
        return;
      }
      watcherBytes += text.readableBytes();
      watcherHeld.take(head);
    }
  }
}
