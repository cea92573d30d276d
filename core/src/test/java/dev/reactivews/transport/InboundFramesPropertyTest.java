package dev.reactivews.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reactivews.UpgradeRequest;
import dev.reactivews.WsConfig;
import dev.reactivews.WsHandler;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeTry;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.MissingNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Whatever a client sends, nothing escapes the engine's pipeline: each frame reaches the app's
 * hooks as the protocol says, or gets its defined answer, in order, and the connection stays
 * open. The frames are random: protocol frames with good and bad types and topics, JSON a
 * character away from valid, nesting around the depth limit, messages near the size limit, any
 * text, any bytes.
 */
class InboundFramesPropertyTest {
  private static final int MAX_DEPTH = 8;
  private static final int MAX_MESSAGE_BYTES = 16 * 1024;
  private static final int MAX_TOPIC_LENGTH = 256;
  private static final String DEFAULT_TOPIC = "session";
  private static final String INTERNAL_TOPIC = "_internal";
  /** The authorize hook refuses it. */
  private static final String DENIED_TOPIC = "denied";
  private static final String LAST_FRAME = "end of frames";
  /** The oracle's own parser: strict JSON, deep enough for anything generated, as long as a message. */
  /** The engine's bounds on what it parses: README, "Limits and defenses". */
  private static final int MAX_NUMBER_CHARS = 1000;
  private static final int MAX_NAME_CHARS = 1024;
  private static final ObjectMapper ORACLE = JsonMapper.builder(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxNestingDepth(10_000).maxNumberLength(MAX_MESSAGE_BYTES).build())
      .build()).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  /** A frame a client sends. */
  sealed interface Frame {}

  record Text(String text) implements Frame {}

  record Binary(byte[] bytes) implements Frame {
    /** Readable in jqwik's report of a failing sample. */
    @Override
    public String toString() {
      return "Binary[" + HexFormat.of().formatHex(bytes) + "]";
    }
  }

  /** What the engine should make of the frames, built up frame by frame. */
  private static final class Expected {
    final List<String> hookEvents = new ArrayList<>();
    /** Error codes answered, in order; pongs are counted apart, as they skip the peer's queue. */
    final List<String> errors = new ArrayList<>();
    final Set<String> topics = new LinkedHashSet<>(List.of(DEFAULT_TOPIC, INTERNAL_TOPIC));
    int pongs;
  }

  private final List<String> hookEvents = new CopyOnWriteArrayList<>();
  private WsEngine engine;

  @BeforeTry
  void start() {
    hookEvents.clear();
    WsHandler handler = WsHandler.builder()
        .onMessage((peer, message) -> hookEvents.add(message.isBinary()
            ? "binary " + HexFormat.of().formatHex(message.bytes())
            : "message " + message.text()))
        .onAuthorize((peer, action, topic) -> !topic.equals(DENIED_TOPIC))
        .onSubscribed((peer, topic) -> hookEvents.add("subscribed " + topic))
        .onError((peer, error) -> hookEvents.add("error " + error))
        .build();
    WsConfig config = WsConfig.builder()
        .defaults(DEFAULT_TOPIC).internals(INTERNAL_TOPIC)
        .maxJsonDepth(MAX_DEPTH).maxMessageBytes(MAX_MESSAGE_BYTES)
        .maxMessagesPerSecond(0)
        .build();
    engine = WsEngine.create(config, handler);
  }

  @AfterTry
  void stop() throws InterruptedException {
    engine.awaitHooks(Duration.ofSeconds(5));
  }

  @Property(tries = 300)
  void everyFrameReachesTheAppAsTheProtocolSaysOrGetsItsDefinedAnswer(@ForAll("frames") List<Frame> frames)
      throws Exception {
    FakeSocket connection = new FakeSocket();
    UpgradeRequest request = new UpgradeRequest(URI.create("/_ws"), Map.of(), new InetSocketAddress("127.0.0.1", 1));
    engine.upgrade(request);
    WsSocketListener listener = engine.open(connection, request);
    Expected expected = new Expected();
    for (Frame frame : frames) {
      switch (frame) {
        case Text(String text) -> {
          listener.onText(text);
          expect(text, expected);
        }
        case Binary(byte[] bytes) -> {
          listener.onBinary(bytes);
          expected.hookEvents.add("binary " + HexFormat.of().formatHex(bytes));
        }
      }
    }
    listener.onText(LAST_FRAME);
    expected.hookEvents.add("message " + LAST_FRAME);
    await().pollInterval(Duration.ofMillis(1)).until(() -> hookEvents.contains("message " + LAST_FRAME));

    assertThat(hookEvents).containsExactlyElementsOf(expected.hookEvents);
    List<String> written = connection.written();
    assertThat(written.stream().filter(text -> !text.equals("pong")).map(text -> errorCode(text)).toList())
        .containsExactlyElementsOf(expected.errors);
    assertThat(written.stream().filter(text -> text.equals("pong")).count()).isEqualTo(expected.pongs);
    assertThat(connection.isOpen()).isTrue();
    assertThat(engine.peers()).singleElement().satisfies(peer -> assertThat(peer.topics()).isEqualTo(expected.topics));

    listener.onClosed(1000, "");
    assertThat(engine.peers()).isEmpty();
    assertThat(engine.topicCount()).isZero();
  }

  /** The protocol of the README, written out again: what the engine must do with the text. */
  private static void expect(String text, Expected expected) {
    if (text.equals("ping")) {
      expected.pongs++;
      return;
    }
    JsonNode value = parseStrictly(text);
    if (value == null) {
      if (deepestOpening(text) > MAX_DEPTH) {
        expected.errors.add("too_deep");
      } else {
        expected.hookEvents.add("message " + text);
      }
      return;
    }
    if (depth(value) > MAX_DEPTH) {
      expected.errors.add("too_deep");
      return;
    }
    if (isPastTheNumberAndNameBounds(text)) {
      expected.errors.add("invalid_json");
      return;
    }
    String type = value.path("type").isString() ? value.get("type").stringValue() : "";
    if (!Set.of("subscribe", "unsubscribe", "publish").contains(type)) {
      expected.hookEvents.add("message " + text);
      return;
    }
    String topic = value.path("topic").isString() ? value.get("topic").stringValue() : "";
    if (!isAValidTopicName(topic)) {
      expected.errors.add("bad_request");
    } else if (topic.equals(INTERNAL_TOPIC) || topic.equals(DENIED_TOPIC)
        || (type.equals("unsubscribe") && topic.equals(DEFAULT_TOPIC))) {
      expected.errors.add("forbidden");
    } else {
      switch (type) {
        case "subscribe" -> {
          expected.topics.add(topic);
          expected.hookEvents.add("subscribed " + topic);
        }
        case "unsubscribe" -> expected.topics.remove(topic);
        default -> expected.hookEvents.add("message " + text);
      }
    }
  }

  /** The JSON value of the text, or null if it is not JSON. */
  private static JsonNode parseStrictly(String text) {
    try {
      JsonNode value = ORACLE.readTree(text);
      return value == null || value.isMissingNode() ? null : value;
    } catch (JacksonException e) {
      return null;
    }
  }

  /**
   * The README's rule for a client's topic names: 1 to 256 bytes of UTF-8, no control
   * characters, no lone surrogates (a frame cut in the middle of an emoji leaves one).
   */
  private static boolean isAValidTopicName(String topic) {
    if (topic.isEmpty() || topic.codePoints().anyMatch(Character::isISOControl)) {
      return false;
    }
    for (int i = 0; i < topic.length(); i++) {
      char c = topic.charAt(i);
      boolean paired = Character.isHighSurrogate(c) ? i + 1 < topic.length() && Character.isLowSurrogate(topic.charAt(i + 1))
          : !Character.isLowSurrogate(c) || (i > 0 && Character.isHighSurrogate(topic.charAt(i - 1)));
      if (!paired) {
        return false;
      }
    }
    return topic.getBytes(StandardCharsets.UTF_8).length <= MAX_TOPIC_LENGTH;
  }

  /**
   * Whether valid JSON holds what the engine's parse refuses and a plain parser takes: a number
   * over 1,000 characters or beyond a double's range (a stray digit after {@code 1.5E300}), a
   * field name over 1,024 characters.
   */
  private static boolean isPastTheNumberAndNameBounds(String text) {
    try (JsonParser parser = ORACLE.createParser(text)) {
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        boolean refused = switch (token) {
          case PROPERTY_NAME -> parser.currentName().length() > MAX_NAME_CHARS;
          case VALUE_NUMBER_INT -> parser.getString().length() > MAX_NUMBER_CHARS;
          case VALUE_NUMBER_FLOAT -> parser.getString().length() > MAX_NUMBER_CHARS || !Double.isFinite(parser.getDoubleValue());
          default -> false;
        };
        if (refused) {
          return true;
        }
      }
      return false;
    } catch (JacksonException e) {
      throw new IllegalStateException("the oracle parsed this text already: " + text, e);
    }
  }

  /** Arrays and objects nested in one another, at the deepest. */
  private static int depth(JsonNode value) {
    int deepestChild = 0;
    for (JsonNode child : value) {
      deepestChild = Math.max(deepestChild, depth(child));
    }
    return value.isContainer() ? 1 + deepestChild : 0;
  }

  /**
   * How deep the arrays and objects of a text that is not JSON open, outside strings: a parser
   * meets that depth before its error when the text breaks off or goes wrong only once, as the
   * invalid texts generated here do.
   */
  private static int deepestOpening(String text) {
    int depth = 0;
    int deepest = 0;
    boolean inString = false;
    boolean escaped = false;
    for (char c : text.toCharArray()) {
      if (inString) {
        if (escaped) {
          escaped = false;
        } else if (c == '\\') {
          escaped = true;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '[' || c == '{') {
        deepest = Math.max(deepest, ++depth);
      } else if (c == ']' || c == '}') {
        depth--;
      }
    }
    return deepest;
  }

  private static String errorCode(String frame) {
    JsonNode error = parseStrictly(frame);
    assertThat(error).as("an error frame: %s", frame).isNotNull();
    assertThat(error.path("type").asString()).as(frame).isEqualTo("error");
    return error.path("code").asString();
  }

  // --- generators ---

  @Provide
  Arbitrary<List<Frame>> frames() {
    return Arbitraries.<Frame>frequencyOf(
            Tuple.of(4, protocolFrames().map(Text::new)),
            Tuple.of(3, nearValidJson().map(Text::new)),
            Tuple.of(2, deepNesting().map(Text::new)),
            Tuple.of(1, nearTheSizeLimit().map(Text::new)),
            Tuple.of(2, Arbitraries.strings().ofMaxLength(MAX_DEPTH).map(Text::new)),
            Tuple.of(1, Arbitraries.of("ping", "PING", " ping", "pong", "").map(Text::new)),
            Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(64).map(Binary::new)))
        .list().ofMaxSize(24);
  }

  /** Objects with a protocol type or another, a usable topic or not, and any small payload. */
  private static Arbitrary<String> protocolFrames() {
    JsonNodeFactory json = JsonNodeFactory.instance;
    Arbitrary<JsonNode> type = Arbitraries.oneOf(
        Arbitraries.of("subscribe", "unsubscribe", "publish", "Subscribe", "message").map(json::textNode),
        Arbitraries.of(json.numberNode(1), json.nullNode(), json.arrayNode(), MissingNode.getInstance()));
    Arbitrary<JsonNode> topic = Arbitraries.oneOf(
        Arbitraries.of("chat", "news", DEFAULT_TOPIC, INTERNAL_TOPIC, DENIED_TOPIC, "", " ",
            "t".repeat(MAX_TOPIC_LENGTH), "t".repeat(MAX_TOPIC_LENGTH + 1), "\u00e9\u20ac\ud83d\ude00").map(json::textNode),
        Arbitraries.of(json.numberNode(5), json.nullNode(), json.objectNode(), MissingNode.getInstance()));
    return Combinators.combine(type, topic, smallJson()).as((t, to, payload) -> {
      ObjectNode frame = json.objectNode();
      if (!t.isMissingNode()) {
        frame.set("type", t);
      }
      if (!to.isMissingNode()) {
        frame.set("topic", to);
      }
      frame.set("payload", payload);
      return frame.toString();
    });
  }

  /** Scalars, and arrays and objects of them, two levels at most. */
  private static Arbitrary<JsonNode> smallJson() {
    JsonNodeFactory json = JsonNodeFactory.instance;
    Arbitrary<JsonNode> scalar = Arbitraries.oneOf(
        Arbitraries.integers().map(json::numberNode),
        Arbitraries.strings().ofMaxLength(12).map(json::textNode),
        Arbitraries.of(json.booleanNode(true), json.nullNode(), json.numberNode(1.5e300)));
    Arbitrary<JsonNode> array = scalar.list().ofMaxSize(3).map(values -> json.arrayNode().addAll(values));
    Arbitrary<JsonNode> object = scalar.list().ofMaxSize(3).map(values -> {
      ObjectNode node = json.objectNode();
      for (int i = 0; i < values.size(); i++) {
        node.set("k" + i, values.get(i));
      }
      return node;
    });
    return Arbitraries.oneOf(scalar, array, object);
  }

  /** A protocol frame cut short, with a character too many, or one missing. */
  private static Arbitrary<String> nearValidJson() {
    Arbitrary<Character> stray = Arbitraries.oneOf(
        Arbitraries.of('{', '}', '[', ']', '"', ',', ':', '\\', ' ', 'x', '\u0000'), Arbitraries.chars());
    return protocolFrames().flatMap(json -> Arbitraries.integers().between(0, json.length() - 1).flatMap(at ->
        Arbitraries.oneOf(
            Arbitraries.just(json.substring(0, at)),
            stray.map(c -> json.substring(0, at) + c + json.substring(at)),
            Arbitraries.just(json.substring(0, at) + json.substring(at + 1)))));
  }

  /** Arrays, objects and publishes nested around the depth limit, closed or left open. */
  private static Arbitrary<String> deepNesting() {
    return Arbitraries.integers().between(1, 2 * MAX_DEPTH).flatMap(depth -> Arbitraries.of(
        "[".repeat(depth) + "1" + "]".repeat(depth),
        "{\"a\":".repeat(depth) + "true" + "}".repeat(depth),
        "{\"type\":\"publish\",\"topic\":\"chat\",\"payload\":" + "[".repeat(depth) + "]".repeat(depth) + "}",
        "{\"type\":\"subscribe\",\"topic\":\"chat\",\"x\":" + "[".repeat(depth) + "]".repeat(depth) + "}",
        "[".repeat(depth)));
  }

  /** Texts of up to the largest message a transport lets through: plain, one JSON string, a publish. */
  private static Arbitrary<String> nearTheSizeLimit() {
    String publish = "{\"type\":\"publish\",\"topic\":\"chat\",\"payload\":\"\"}";
    return Arbitraries.integers().between(MAX_MESSAGE_BYTES / 2, MAX_MESSAGE_BYTES - publish.length())
        .flatMap(length -> Arbitraries.of(
            "x".repeat(length),
            "\"" + "y".repeat(length) + "\"",
            publish.replace("\"\"}", "\"" + "z".repeat(length) + "\"}"),
            "[" + "1,".repeat(length / 2 - 1) + "1]"));
  }
}
