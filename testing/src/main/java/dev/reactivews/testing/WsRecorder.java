package dev.reactivews.testing;

import static org.assertj.core.api.Assertions.fail;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * A real WebSocket client (the JDK's) that records everything the server sends: every text
 * message in order, the latest state per topic, and how the connection closed. Waits are
 * bounded, never sleeps.
 */
public final class WsRecorder implements WebSocket.Listener, AutoCloseable {
  /** How long any wait of the test clients lasts before failing. */
  public static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
  private final List<String> received = new CopyOnWriteArrayList<>();
  private final Map<String, JsonNode> states = new ConcurrentHashMap<>();
  private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
  private final StringBuilder partial = new StringBuilder();
  private final AtomicInteger pings = new AtomicInteger();
  /** Set by {@link #connect} as soon as the JDK has opened it, before anyone else sees the recorder. */
  @SuppressWarnings("NullAway.Init")
  private WebSocket socket;

  private WsRecorder() {}

  /** Connects to ws://127.0.0.1:port/route and waits until open. */
  public static WsRecorder connect(int port, String route) {
    return connect(URI.create("ws://127.0.0.1:" + port + route), Map.of());
  }

  /** Connects to the URI with extra handshake headers and waits until open. */
  public static WsRecorder connect(URI uri, Map<String, String> headers) {
    WsRecorder recorder = new WsRecorder();
    WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(TIMEOUT);
    headers.forEach(builder::header);
    recorder.socket = builder.buildAsync(uri, recorder).orTimeout(10, TimeUnit.SECONDS).join();
    return recorder;
  }

  /** Sends one text message and waits until it is written. */
  public WsRecorder send(String text) {
    socket.sendText(text, true).orTimeout(10, TimeUnit.SECONDS).join();
    return this;
  }

  /** Sends one fragment of a text message; {@code last} ends the message. */
  public WsRecorder sendPart(String text, boolean last) {
    socket.sendText(text, last).orTimeout(10, TimeUnit.SECONDS).join();
    return this;
  }

  /** Sends one binary message and waits until it is written. */
  public WsRecorder sendBinary(byte[] bytes) {
    socket.sendBinary(ByteBuffer.wrap(bytes), true).orTimeout(10, TimeUnit.SECONDS).join();
    return this;
  }

  /** Sends the protocol's subscribe frame for the topic. */
  public WsRecorder subscribe(String topic) {
    return send("{\"type\":\"subscribe\",\"topic\":\"" + topic + "\"}");
  }

  /** Sends the protocol's publish frame for the topic with a payload written as JSON. */
  public WsRecorder publish(String topic, String payloadJson) {
    return send("{\"type\":\"publish\",\"topic\":\"" + topic + "\",\"payload\":" + payloadJson + "}");
  }

  /** The next text message, failing after {@link #TIMEOUT}. */
  public String next() {
    try {
      String message = queue.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (message == null) {
        fail("no message within " + TIMEOUT + "; received so far: " + received);
      }
      return message;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Skips messages until one parses to JSON matching the predicate, and returns it. */
  public JsonNode nextMatching(Predicate<JsonNode> predicate) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode node = parse(next());
      if (predicate.test(node)) {
        return node;
      }
    }
    throw new AssertionError("no matching message within " + TIMEOUT + "; received: " + received);
  }

  /** The next error frame ({@code type: error}), skipping anything else. */
  public JsonNode nextError() {
    return nextMatching(n -> "error".equals(n.path("type").asString()));
  }

  /** The next state message of the topic, skipping anything else. */
  public JsonNode nextState(String topic) {
    return nextMatching(n -> topic.equals(n.path("topic").asString(null)) && n.has("payload")).get("payload");
  }

  /** Every text message received so far, in order. */
  public List<String> received() {
    return List.copyOf(received);
  }

  /** The latest payload received for the topic, or null. */
  public @Nullable JsonNode state(String topic) {
    return states.get(topic);
  }

  /** Waits for the server to close the connection; returns the close code. */
  public int awaitClose() {
    return closeCode.orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
  }

  /** How many pings the server sent; the JDK answered each with a pong. */
  public int pings() {
    return pings.get();
  }

  /** Whether the connection has closed, either way. */
  public boolean isClosed() {
    return closeCode.isDone();
  }

  /** The text as JSON, or as a JSON string when it is not JSON. */
  public static JsonNode parse(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (Exception e) {
      return MAPPER.getNodeFactory().textNode(text);
    }
  }


  @Override
  public void onOpen(WebSocket webSocket) {
    webSocket.request(1);
  }

  @Override
  public @Nullable CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      String message = partial.toString();
      partial.setLength(0);
      JsonNode node = parse(message);
      if (node.isObject() && node.has("topic") && node.has("payload")) {
        states.put(node.get("topic").asString(), node.get("payload"));
      }
      received.add(message);
      queue.add(message);
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public @Nullable CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
    pings.incrementAndGet();
    webSocket.request(1);
    return null;
  }

  @Override
  public @Nullable CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    closeCode.complete(statusCode);
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    closeCode.complete(1006);
  }

  @Override
  public void close() {
    if (!closeCode.isDone()) {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "").orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
      closeCode.completeOnTimeout(1006, 10, TimeUnit.SECONDS).join();
    }
    socket.abort();
  }
}
