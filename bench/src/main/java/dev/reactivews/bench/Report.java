package dev.reactivews.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * Turns the results bench/run.sh collected into one Markdown table: a row per scenario, a
 * column per server, then reactive-ws / crossws and reactive-ws / spring.
 *
 * <p>{@code Report DIR} reads {@code DIR/<server>__<scenario>.json} (the load generator's JSON
 * line) or {@code DIR/<server>__<scenario>.skip} (one line: why there is no result).
 */
public final class Report {
  static final String REACTIVE_WS = "reactive-ws";
  static final List<String> SERVERS = List.of(REACTIVE_WS, "crossws", "spring");

  private Report() {}

  /** How one scenario becomes a row: its label, its cell, and the number the ratios compare. */
  record Row(String id, Function<JsonNode, String> label, Function<JsonNode, String> cell,
      Function<JsonNode, Double> primary, String better) {}

  static final List<Row> ROWS = List.of(
      new Row("fanout100",
          r -> "fan-out at saturation, " + count(r.path("subscribers").asDouble()) + " subscribers: deliveries/s",
          Report::bestDeliveries,
          r -> r.path("bestDeliveriesPerSec").asDouble(), "higher"),
      new Row("fanout1000",
          r -> "fan-out at saturation, " + count(r.path("subscribers").asDouble()) + " subscribers: deliveries/s",
          Report::bestDeliveries,
          r -> r.path("bestDeliveriesPerSec").asDouble(), "higher"),
      new Row("steady1000",
          r -> count(r.path("subscribers").asDouble()) + " subscribers × " + fmt(r.path("rate").asDouble(), 0)
              + " msg/s: server CPU per delivery (p99)",
          r -> fmt(r.path("serverCpuMicrosPerDelivery").asDouble(), 2) + " µs (p99 " + ms(r.path("p99Ms")) + ")",
          r -> r.has("serverCpuMicrosPerDelivery") ? r.path("serverCpuMicrosPerDelivery").asDouble() : null, "lower"),
      lightRow("light100cold", "first minute"),
      lightRow("light100", "warm"),
      lightRow("light1000cold", "first minute"),
      lightRow("light1000", "warm"),
      new Row("idle",
          r -> "idle RSS per connection at " + count(r.path("connections").asDouble()) + " connections",
          r -> idleCell(r, "bytesPerConnection", r.has("coldBytesPerConnection")
              ? " (from a fresh start: " + fmt(r.path("coldBytesPerConnection").asDouble() / 1024, 1) + " KiB)" : ""),
          r -> r.has("bytesPerConnection") ? r.path("bytesPerConnection").asDouble() : null, "lower"),
      new Row("idle5000cold",
          r -> "idle RSS per connection at " + count(r.path("connections").asDouble()) + " connections, from a fresh start",
          r -> idleCell(r, "coldBytesPerConnection", ""),
          r -> r.has("coldBytesPerConnection") ? r.path("coldBytesPerConnection").asDouble() : null, "lower"),
      new Row("joins",
          r -> "joins of " + count(r.path("peers").asDouble()) + " peers: until every peer sees users = N",
          r -> r.has("seconds") ? fmt(r.path("seconds").asDouble(), 2) + " s"
              : "timed out (" + r.path("peersAtTarget").asInt() + " at N)",
          r -> r.has("seconds") ? r.path("seconds").asDouble() : null, "lower"),
      new Row("chat",
          r -> "chat " + r.path("clients").asInt() + "×" + r.path("messages").asInt() + ": lost / duplicated lines",
          r -> r.path("lost").asInt() + " / " + r.path("duplicated").asInt(),
          r -> null, null),
      new Row("slow",
          r -> "slow consumer (1 of " + r.path("subscribers").asInt()
              + " stops reading): others' p99 (before it stopped); slow one's close; server RSS",
          r -> ms(r.path("p99Ms")) + " (" + ms(r.path("whileAllRead").path("p99Ms")) + ")"
              + (r.path("lost").asLong() > 0 ? ", " + count(r.path("lost").asDouble()) + " lost" : "") + "; "
              + r.path("slowClose").asString() + "; "
              + fmt(r.path("serverRssBytes").asDouble() / (1 << 20), 0) + " MiB",
          // A latency of what little arrived says nothing: no ratio against a server that lost deliveries.
          r -> r.path("lost").asLong() > 0 ? null : r.path("p99Ms").asDouble(), "lower"),
      stateRow("state50"),
      stateRow("state500"),
      stateRow("state5000"),
      new Row("recovery",
          r -> count(r.path("clients").asDouble()) + " clients cut off for " + r.path("changes").asInt()
              + " changes of a list of " + count(r.path("history").asDouble())
              + ": bytes back per client (× the changes' own); until all hold the newest",
          r -> count(r.path("recoveryBytesPerClient").asDouble()) + " B (" + fmt(r.path("recoveryOverChanges").asDouble(), 2)
              + "×); " + (r.path("allConsistent").asBoolean() ? ms(r.path("consistentMillis"))
                  : r.path("consistent").asInt() + " of " + r.path("clients").asInt() + " consistent"),
          r -> r.path("recoveryBytesPerClient").asDouble(), "lower"));

  /** An idle scenario's figure in KiB per connection, then {@code more}, and how many stayed open if not all. */
  private static String idleCell(JsonNode r, String field, String more) {
    if (!r.has(field)) {
      return "no connection open (" + r.path("connectFailed").asInt() + " failed)";
    }
    return fmt(r.path(field).asDouble() / 1024, 1) + " KiB" + more
        + (r.path("openAtEnd").asInt() < r.path("connections").asInt() ? " (" + r.path("openAtEnd").asInt() + " open)" : "");
  }

  /** A light load at a fixed rate: the latency a user feels, and what each delivery costs the server. */
  private static Row lightRow(String id, String phase) {
    return new Row(id,
        r -> count(r.path("subscribers").asDouble()) + " subscribers × " + fmt(r.path("rate").asDouble(), 0)
            + " msg/s, " + phase + ": p50 / p99 / p99.9, server CPU per delivery",
        r -> ms(r.path("p50Ms")) + " / " + ms(r.path("p99Ms")) + " / " + ms(r.path("p999Ms")) + ", "
            + fmt(r.path("serverCpuMicrosPerDelivery").asDouble(), 2) + " µs"
            + (r.path("lost").asLong() > 0 ? ", " + count(r.path("lost").asDouble()) + " lost" : "")
            + slices(r.path("p99MsEach10s")),
        r -> r.path("lost").asLong() > 0 ? null : r.path("p99Ms").asDouble(), "lower");
  }

  /** A window's p99 for each 10 s, when it has several: where the slow messages were. */
  private static String slices(JsonNode p99s) {
    if (p99s.size() < 2) {
      return "";
    }
    StringBuilder each = new StringBuilder(" (p99 each 10 s: ");
    for (int i = 0; i < p99s.size(); i++) {
      each.append(i == 0 ? "" : ", ").append(fmt(p99s.get(i).asDouble(), 1));
    }
    return each.append(" ms)").toString();
  }

  /** A state scenario: bytes per delivery against the entry, deliveries/s, server CPU per change. */
  private static Row stateRow(String id) {
    return new Row(id,
        r -> count(r.path("subscribers").asDouble()) + " subscribers of a list of " + count(r.path("history").asDouble())
            + ", " + fmt(r.path("rate").asDouble(), 0) + " appends/s: bytes per delivery (× entry), deliveries/s, server CPU per change",
        r -> count(r.path("bytesPerDelivery").asDouble()) + " B (" + fmt(r.path("bytesPerDeliveryOverEntry").asDouble(), 1)
            + "×), " + count(r.path("deliveriesPerSec").asDouble()) + "/s"
            + (r.path("drained").asBoolean() ? "" : " (" + fmt(100 * r.path("deliveredRatio").asDouble(), 1) + "% delivered)")
            + ", " + count(r.path("serverCpuMicrosPerChange").asDouble()) + " µs",
        r -> r.has("bytesPerDelivery") ? r.path("bytesPerDelivery").asDouble() : null, "lower");
  }

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: Report RESULTS_DIR");
      System.exit(2);
    }
    System.out.print(render(Path.of(args[0])));
  }

  static String render(Path dir) throws IOException {
    StringBuilder md = new StringBuilder();
    md.append("| scenario | ").append(String.join(" | ", SERVERS))
        .append(" | reactive-ws / crossws | reactive-ws / spring |\n");
    md.append("| --- | --- | --- | --- | --- | --- |\n");
    for (Row row : ROWS) {
      List<JsonNode> results = new ArrayList<>();
      List<String> cells = new ArrayList<>();
      String label = null;
      for (String server : SERVERS) {
        Cell cell = cell(dir, server, row);
        results.add(cell.result());
        cells.add(cell.text());
        if (label == null && cell.result() != null) {
          label = row.label().apply(cell.result());
        }
      }
      if (label == null && cells.stream().allMatch(c -> c.equals("not run"))) {
        continue;
      }
      md.append("| ").append(label != null ? label : row.id()).append(" | ")
          .append(String.join(" | ", cells)).append(" | ")
          .append(ratio(row, results.get(0), results.get(1))).append(" | ")
          .append(ratio(row, results.get(0), results.get(2))).append(" |\n");
    }
    md.append("\nRatios divide reactive-ws's number by the other server's: above 1 is better for "
        + "deliveries/s, below 1 is better for CPU, memory, time and latency.\n");
    return md.toString();
  }

  record Cell(JsonNode result, String text) {}

  private static Cell cell(Path dir, String server, Row row) throws IOException {
    Path json = dir.resolve(server + "__" + row.id() + ".json");
    Path skip = dir.resolve(server + "__" + row.id() + ".skip");
    if (Files.exists(json)) {
      String line = Files.readAllLines(json).stream().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse("");
      if (line.isEmpty()) {
        return new Cell(null, "no result");
      }
      JsonNode result = LoadGenerator.JSON.readTree(line);
      if (result.has("error")) {
        return new Cell(null, "failed: " + escape(result.path("error").asString()));
      }
      return new Cell(result, escape(row.cell().apply(result)));
    }
    if (Files.exists(skip)) {
      return new Cell(null, escape(Files.readString(skip).strip()));
    }
    return new Cell(null, "not run");
  }

  private static String ratio(Row row, JsonNode ours, JsonNode theirs) {
    if (row.better() == null || ours == null || theirs == null) {
      return "—";
    }
    Double a = row.primary().apply(ours);
    Double b = row.primary().apply(theirs);
    if (a == null || b == null || b == 0) {
      return "—";
    }
    double ratio = a / b;
    // A ratio two decimals would show as 0.00 is written as a fraction: 1/2,644×.
    return ratio < 0.01 && ratio > 0 ? "1/" + count(1 / ratio) + "×" : fmt(ratio, 2) + "×";
  }

  /** A saturation search's best step; "≥" when the load generator, not the server, ended the search. */
  private static String bestDeliveries(JsonNode r) {
    return (r.path("bestIsLowerBound").asBoolean() ? "≥ " : "") + count(r.path("bestDeliveriesPerSec").asDouble())
        + "/s (p99 " + ms(r.path("bestP99Ms")) + ")";
  }

  private static String ms(JsonNode millis) {
    double v = millis.asDouble();
    return v >= 100 ? fmt(v, 0) + " ms" : fmt(v, v >= 10 ? 1 : 2) + " ms";
  }

  private static String count(double v) {
    return String.format(Locale.ROOT, "%,.0f", v);
  }

  private static String fmt(double v, int decimals) {
    return String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  private static String escape(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }
}
