package dev.reactivews.bench;

import java.net.URI;
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
    // Every scenario takes it: the server's RSS at the end goes into the results.
    long serverPid = args.number("server-pid", -1);
    int exit = 0;
    try (WsClients clients = new WsClients(URI.create(url))) {
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
