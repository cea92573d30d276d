package dev.reactivews.bench.jmh;

import dev.reactivews.UpgradeRequest;
import dev.reactivews.WsConfig;
import dev.reactivews.examples.chathandler.ChatHandler;
import dev.reactivews.storage.StorageDriver;
import dev.reactivews.transport.WsEngine;
import dev.reactivews.transport.WsSocketListener;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the chat example's server spends on one message from a peer, from the frame's arrival to
 * its answer: the engine's parse and dispatch, the chat's hook with its Bean Validation schema,
 * the refusal's log line and error frame. One peer on a fake {@link dev.reactivews.transport.WsSocket}; each
 * invocation hands it {@value #BATCH} text frames, as a busy peer's frames arrive, and waits for
 * the one frame each is answered with. The work runs on the peer's hook thread while the
 * benchmark thread waits, so the score, per message, is the messages one core answers per second.
 *
 * <ul>
 *   <li>{@code invalid}: a chat publish the schema refuses (blank text): an {@code
 *       invalid_message} error frame.
 *   <li>{@code plain}: text that is not JSON, refused before Bean Validation runs.
 *   <li>{@code accepted}: a chat line, appended to the chat's state topic and answered with the
 *       chat list (up to the chat's 500 lines).
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RefusalBenchmark {
  /** Frames per invocation: enough that waking the hook thread is a small share of the cost, fewer than the queue holds. */
  static final int BATCH = 100;

  @Param({"invalid", "plain", "accepted"})
  public String message;

  private String text;
  private WsEngine engine;
  private WsSocketListener peer;
  /** Released once for each frame the peer is sent. */
  private final Semaphore answers = new Semaphore(0);

  @Setup(Level.Trial)
  public void setUp() throws InterruptedException {
    text = switch (message) {
      case "invalid" -> "{\"type\":\"publish\",\"topic\":\"chat\",\"payload\":{\"text\":\"  \"}}";
      case "plain" -> "hello, this is not JSON at all";
      case "accepted" -> "{\"type\":\"publish\",\"topic\":\"chat\",\"payload\":{\"text\":\"Hello everybody, how is the weather?\"}}";
      default -> throw new IllegalArgumentException(message);
    };
    // No rate limit: the benchmark measures what a message costs, not how many the limit lets in.
    WsConfig config = WsConfig.builder().route("/_ws").defaults("chat", "session").states(ChatHandler.CHAT_STATE)
        .maxMessagesPerSecond(0).maxQueuedMessages(1024).build();
    engine = WsEngine.builder(config, new ChatHandler()).stateStore(StorageDriver.memory().stateStore()).build();
    engine.start();
    UpgradeRequest request = new UpgradeRequest(URI.create("ws://localhost/_ws"), Map.of(),
        new InetSocketAddress("127.0.0.1", 40000));
    peer = engine.open(new FakeSocket(answers::release), request);
    // The chat's state, sent at open to a peer of its default topic, and the user count.
    answers.acquire(2);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws InterruptedException {
    engine.closeAll();
    engine.awaitHooks(Duration.ofSeconds(5));
    engine.leaveCluster();
  }

  /** {@value #BATCH} messages in, their answers out. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void answer() throws InterruptedException {
    for (int i = 0; i < BATCH; i++) {
      peer.onText(text);
    }
    answers.acquire(BATCH);
  }
}
