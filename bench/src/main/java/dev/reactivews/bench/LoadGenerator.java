package dev.reactivews.bench;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The load generator: one JVM, one event loop thread (pin it to one core), many WebSocket
 * clients speaking the benchmark protocol to any of the benchmark servers. One scenario per run;
 * ONE JSON line of results on stdout, progress on stderr.
 *
 * <pre>
 * LoadGenerator fanout --subscribers S --rate R --seconds T [--saturate] [--server-pid P]
 * LoadGenerator idle   --connections N --server-pid P
 * LoadGenerator joins  --peers N
 * LoadGenerator chat   --clients C --messages K
 * LoadGenerator slow   --subscribers S --rate R --seconds T [--server-pid P]
 * LoadGenerator state  --subscribers S --history H --rate R --seconds T [--server-pid P]
 * LoadGenerator recovery --clients C --changes K --history H
 * common: --url ws://127.0.0.1:3000/_ws (or --host, --port, default $PORT or 3000)
 *         --label NAME (copied into the JSON) --connect-concurrency N (handshakes in flight)
 * fanout: --warm-against URL [--warm-seconds 30] runs the same load against another server
 *         first, so that the run measures a fresh server's first minute, not this JVM's; the
 *         measured server starts later, so --server-pid-file F names the file its pid will be in
 * </pre>
 *
 * docs/benchmarks.md describes every scenario and its fields.
 */
public final class LoadGenerator {
  static final ObjectMapper JSON = new ObjectMapper();

  private LoadGenerator() {}

  public static void main(String[] argv) throws Exception {
    Args args;
    try {
      args = new Args(argv);
    } catch (IllegalArgumentException e) {
      System.err.println("usage: LoadGenerator <fanout|idle|joins|chat|slow|state|recovery> [--option value ...]: " + e.getMessage());
      System.exit(2);
      return;
    }
    String url = args.string("url", null);
    if (url == null) {
      String port = args.string("port", System.getenv().getOrDefault("PORT", "3000"));
      url = "ws://" + args.string("host", "127.0.0.1") + ":" + port + args.string("path", "/_ws");
    }
    ObjectNode out = JSON.createObjectNode();
    out.put("scenario", args.scenario);
    String label = args.string("label", null);
    if (label != null) {
      out.put("server", label);
    }
    out.put("url", url);
    int exit = 0;
    try (WsClients clients = warmedClients(args, argv, URI.create(url))) {
      // Every scenario takes it: the server's RSS at the end goes into the results.
      long serverPid = args.number("server-pid", -1);
      out.put("clientTransport", clients.epoll ? "epoll" : "nio");
      Scenario scenario = switch (args.scenario) {
        case "fanout" -> new Fanout(clients, args, false);
        case "slow" -> new Fanout(clients, args, true);
        case "idle" -> new Idle(clients, args);
        case "joins" -> new Joins(clients, args);
        case "chat" -> new Chat(clients, args);
        case "state" -> new StateFanout(clients, args);
        case "recovery" -> new Recovery(clients, args);
        default -> throw new IllegalArgumentException("unknown scenario " + args.scenario);
      };
      args.checkAllUsed();
      scenario.run(out);
      if (!out.has("serverRssBytes")) {
        putRss(out, "serverRssBytes", serverPid);
      }
    } catch (IllegalArgumentException e) {
      System.err.println("LoadGenerator: " + e.getMessage());
      System.exit(2);
      return;
    } catch (Exception e) {
      Log.progress("%s failed: %s", args.scenario, e);
      e.printStackTrace();
      out.put("error", String.valueOf(e));
      exit = 1;
    }
    System.out.println(JSON.writeValueAsString(out));
    System.out.flush();
    System.exit(exit);
  }

  /**
   * The clients for the run. With {@code --warm-against}, first the fanout load against that server for {@code --warm-seconds},
   * then "load generator warm" on stderr, then a wait until the measured server listens. The
   * script starting the servers stops the warm-up one at that line and starts the measured one
   * fresh, so the JIT this JVM needs is done before the measured server's first minute starts.
   */
  private static WsClients warmedClients(Args args, String[] argv, URI target) throws Exception {
    String warmUrl = args.string("warm-against", null);
    long seconds = args.number("warm-seconds", 30);
    if (warmUrl == null) {
      return new WsClients(target);
    }
    if (!args.scenario.equals("fanout")) {
      throw new IllegalArgumentException("--warm-against is for fanout only");
    }
    Args warm = new Args(warmArgs(argv, seconds));
    try (WsClients clients = new WsClients(URI.create(warmUrl))) {
      Fanout fanout = new Fanout(clients, warm, false);
      warm.checkAllUsed();
      fanout.run(JSON.createObjectNode());
    }
    Log.progress("load generator warm");
    String pidFile = args.string("server-pid-file", null);
    Path pid = pidFile == null ? null : Path.of(pidFile);
    boolean ready = await(() -> Proc.listening(target.getHost(), target.getPort()) && (pid == null || Files.exists(pid)), 180_000);
    if (!ready) {
      throw new IllegalStateException("the measured server did not listen on " + target + " within 180 s"
          + (pid == null ? "" : ", or " + pid + " was not written"));
    }
    if (pid != null) {
      args.put("server-pid", Files.readString(pid).strip());
    }
    return new WsClients(target);
  }

  /** The same fanout options, for the warm-up's seconds, without a warm-up window or a server to measure. */
  private static String[] warmArgs(String[] argv, long seconds) {
    List<String> kept = new ArrayList<>();
    Set<String> dropped = Set.of("--warm-against", "--warm-seconds", "--seconds", "--warmup",
        "--server-pid", "--server-pid-file", "--url", "--port", "--host", "--path", "--label");
    for (int i = 0; i < argv.length; i++) {
      if (dropped.contains(argv[i].split("=", 2)[0])) {
        i += argv[i].contains("=") ? 0 : 1;
      } else {
        kept.add(argv[i]);
      }
    }
    kept.addAll(List.of("--seconds", Long.toString(seconds), "--warmup", "0"));
    return kept.toArray(String[]::new);
  }

  /** One scenario: runs against the server and puts its results into the JSON object. */
  interface Scenario {
    void run(ObjectNode out) throws Exception;
  }

  /** Milliseconds, rounded to microseconds, from nanoseconds. */
  static double millis(long nanos) {
    return Math.round(nanos / 1_000.0) / 1_000.0;
  }

  static double round(double value, int decimals) {
    double scale = Math.pow(10, decimals);
    return Math.round(value * scale) / scale;
  }

  /** Polls the condition every 20 ms until it holds or the timeout passes; true if it held. */
  static boolean await(BooleanSupplier condition, long timeoutMillis) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      // A command-line tool polling another process (its port, its counters): no event to wait on.
      Thread.sleep(20);
    }
    return true;
  }

  /** Adds the server's RSS to the output when a pid was given. */
  static void putRss(ObjectNode out, String field, long pid) {
    long rss = Proc.rssBytes(pid);
    if (rss >= 0) {
      out.put(field, rss);
    }
  }
}
