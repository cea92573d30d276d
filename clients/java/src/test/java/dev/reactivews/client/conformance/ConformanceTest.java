package dev.reactivews.client.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivews.TopicAction;
import dev.reactivews.client.Data;
import dev.reactivews.client.Heartbeat;
import dev.reactivews.client.HeldVersion;
import dev.reactivews.client.ReactiveWsClient;
import dev.reactivews.client.ReconnectPolicy;
import dev.reactivews.client.Status;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.StringNode;

/**
 * The conformance suite's runner for the JVM client: every scenario of {@code
 * clients/conformance/scenarios.json}, against a {@link ScriptedServer}. The browser client runs the
 * same file ({@code clients/js/test/conformance.test.js}). Timing scenarios use short real
 * timeouts; every wait is on a condition (Awaitility), never a sleep.
 */
@Timeout(60)
class ConformanceTest {
  private static final Path SCENARIOS = Path.of("clients", "conformance", "scenarios.json");
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @TestFactory
  Stream<DynamicTest> everyScenario() throws IOException {
    JsonNode scenarios = MAPPER.readTree(Files.readString(scenariosFile())).get("scenarios");
    return StreamSupport.stream(scenarios.spliterator(), false)
        .map(scenario -> DynamicTest.dynamicTest(scenario.get("name").stringValue(), () -> run(scenario)));
  }

  /** The scenario file, found from the module's folder up, wherever the module sits in the repository. */
  private static Path scenariosFile() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve(SCENARIOS))) {
        return dir.resolve(SCENARIOS);
      }
    }
    throw new IllegalStateException(SCENARIOS + " not found above " + Path.of("").toAbsolutePath());
  }

  private static void run(JsonNode scenario) throws InterruptedException {
    try (ScriptedServer server = new ScriptedServer()) {
      server.config = scenario.get("serverConfig");
      try (ReactiveWsClient client = build(server.url(), scenario.get("options"), server.config != null)) {
        new Steps(server, client).run(scenario.get("steps"));
      }
    }
  }

  /**
   * A client with the scenario's options, in the contract's names and units (milliseconds). The
   * server's topics are given (none unless the options say), except where the scenario has the
   * server serve its config, which the client then loads.
   */
  private static ReactiveWsClient build(String url, JsonNode options, boolean fromServerConfig) {
    ReactiveWsClient.Builder builder = ReactiveWsClient.builder(url)
        .topics(strings(options.path("topics")))
        .autoClose(false);
    if (!fromServerConfig || options.has("internals")) {
      builder.internals(strings(options.path("internals")).toArray(String[]::new));
    }
    if (!fromServerConfig || options.has("defaults")) {
      builder.defaults(strings(options.path("defaults")).toArray(String[]::new));
    }
    if (options.has("immediate")) {
      builder.immediate(options.get("immediate").booleanValue());
    }
    if (options.has("deltas")) {
      builder.deltas(options.get("deltas").booleanValue());
    }
    if (options.has("bufferLimit")) {
      builder.bufferLimit(options.get("bufferLimit").intValue());
    }
    JsonNode reconnect = options.path("autoReconnect");
    if (reconnect.isObject()) {
      ReconnectPolicy.Builder policy = ReconnectPolicy.builder();
      ifPresent(reconnect, "retries", JsonNode::intValue, policy::retries);
      ifPresent(reconnect, "delay", ConformanceTest::millis, policy::delay);
      ifPresent(reconnect, "maxDelay", ConformanceTest::millis, policy::maxDelay);
      ifPresent(reconnect, "multiplier", JsonNode::doubleValue, policy::multiplier);
      ifPresent(reconnect, "jitter", JsonNode::doubleValue, policy::jitter);
      builder.autoReconnect(policy.build());
    }
    JsonNode heartbeat = options.path("heartbeat");
    if (heartbeat.isObject()) {
      Heartbeat.Builder beat = Heartbeat.builder();
      ifPresent(heartbeat, "interval", ConformanceTest::millis, beat::interval);
      ifPresent(heartbeat, "pongTimeout", ConformanceTest::millis, beat::pongTimeout);
      ifPresent(heartbeat, "message", JsonNode::textValue, beat::message);
      ifPresent(heartbeat, "responseMessage", JsonNode::textValue, beat::responseMessage);
      builder.heartbeat(beat.build());
    }
    return builder.build();
  }

  private static <T> void ifPresent(JsonNode object, String field, Function<JsonNode, T> read, Consumer<T> set) {
    if (object.has(field)) {
      set.accept(read.apply(object.get(field)));
    }
  }

  private static Duration millis(JsonNode value) {
    return Duration.ofMillis(value.longValue());
  }

  private static List<String> strings(JsonNode array) {
    List<String> strings = new ArrayList<>();
    array.forEach(item -> strings.add(item.stringValue()));
    return strings;
  }

  /** One scenario's steps, in order; each waits until what it expects holds. */
  private record Steps(ScriptedServer server, ReactiveWsClient client, Map<Integer, Integer> read) {
    Steps(ScriptedServer server, ReactiveWsClient client) {
      this(server, client, new HashMap<>());
    }

    void run(JsonNode steps) {
      for (JsonNode step : steps) {
        String where = "step " + step;
        switch (step.get("do").stringValue()) {
          case "open" -> client.open();
          case "close" -> client.close();
          case "send" -> assertThat(send(step.get("args"))).as(where).isEqualTo(step.get("returns").booleanValue());
          case "expectStatus" -> {
            Status status = Status.valueOf(step.get("status").stringValue());
            await(where).until(() -> client.status() == status);
          }
          case "expectState" -> await(where).until(() -> step.get("payload").equals(client.states().json(step.get("topic").stringValue())));
          case "expectVersion" -> await(where).until(() -> holds(step.get("topic").stringValue(), step.get("version")));
          case "expectData" -> await(where).until(() -> step.get("data").equals(value(client.data())));
          case "expectFrames" -> expectFrames(step, where);
          case "expectPings" -> {
            ScriptedServer.Connection connection = connection(step.path("connection").asInt(0), where);
            await(where).until(() -> connection.pings.get() >= step.get("count").intValue());
          }
          case "expectConnection" -> connection(step.get("connection").intValue(), where);
          case "expectUrl" -> assertThat(query(connection(step.path("connection").asInt(0), where)))
              .as(where).isEqualTo(sortedQuery(step.get("query")));
          case "expectClientClose" -> {
            ScriptedServer.Connection connection = connection(step.path("connection").asInt(0), where);
            await(where).until(() -> connection.closeCode != null);
            assertThat(connection.closeCode).as(where).isEqualTo(step.get("code").intValue());
          }
          case "serverSend" -> latest().send(step.get("frame"));
          case "serverClose" -> latest().close(step.get("code").intValue());
          case "serverSilent" -> server.silent = step.get("silent").booleanValue();
          default -> throw new IllegalArgumentException("unknown step: " + where);
        }
      }
    }

    private boolean send(JsonNode args) {
      if (args.size() == 1) {
        return client.send(args.get(0).stringValue());
      }
      TopicAction action = TopicAction.valueOf(args.get(0).stringValue().toUpperCase(Locale.ROOT));
      return client.send(action, args.get(1).stringValue(), args.size() > 2 ? args.get(2) : null);
    }

    private void expectFrames(JsonNode step, String where) {
      int index = step.path("connection").asInt(0);
      ScriptedServer.Connection connection = connection(index, where);
      int from = read.getOrDefault(index, 0);
      List<JsonNode> expected = new ArrayList<>();
      step.get("frames").forEach(expected::add);
      await(where).until(() -> connection.frames.size() >= from + expected.size());
      assertThat(connection.frames.subList(from, from + expected.size())).as(where).isEqualTo(expected);
      read.put(index, from + expected.size());
    }

    /** The {@code index}th connection (0 for the first), once the server accepted it. */
    private ScriptedServer.Connection connection(int index, String where) {
      await(where).until(() -> server.connections.size() > index);
      return server.connections.get(index);
    }

    private ScriptedServer.Connection latest() {
      return server.connections.getLast();
    }

    /** The query of a connection's handshake URL: each name with its values, sorted, as the scenarios write it. */
    private static Map<String, List<String>> query(ScriptedServer.Connection connection) {
      String raw = URI.create(connection.requestUri).getRawQuery();
      Map<String, List<String>> query = new TreeMap<>();
      if (raw != null) {
        for (String parameter : raw.split("&")) {
          int equals = parameter.indexOf('=');
          String name = equals < 0 ? parameter : parameter.substring(0, equals);
          String value = equals < 0 ? "" : parameter.substring(equals + 1);
          query.computeIfAbsent(decode(name), n -> new ArrayList<>()).add(decode(value));
        }
      }
      query.values().forEach(Collections::sort);
      return query;
    }

    /** A scenario's query, its values sorted: the order of the parameters is not part of the contract. */
    private static Map<String, List<String>> sortedQuery(JsonNode query) {
      Map<String, List<String>> sorted = new TreeMap<>();
      for (Map.Entry<String, JsonNode> parameter : query.properties()) {
        List<String> values = strings(parameter.getValue());
        Collections.sort(values);
        sorted.put(parameter.getKey(), values);
      }
      return sorted;
    }

    private static String decode(String text) {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    /** Whether the client holds {@code expected} for the topic: {@code {"epoch":…,"v":n}}, or JSON null for none. */
    private boolean holds(String topic, JsonNode expected) {
      HeldVersion held = client.states().version(topic);
      if (expected.isNull()) {
        return held == null;
      }
      return held != null && held.epoch().equals(expected.get("epoch").stringValue())
          && held.number() == expected.get("v").longValue();
    }

    private static JsonNode value(Data data) {
      if (data == null) {
        return null;
      }
      return data.json() != null ? data.json() : StringNode.valueOf(data.text());
    }

    private static ConditionFactory await(String where) {
      return Awaitility.await(where).atMost(Duration.ofSeconds(10));
    }
  }
}
