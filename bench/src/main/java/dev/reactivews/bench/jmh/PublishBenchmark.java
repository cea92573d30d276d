package dev.reactivews.bench.jmh;

import dev.reactivews.SendOptions;
import dev.reactivews.UpgradeRequest;
import dev.reactivews.WsConfig;
import dev.reactivews.WsHandler;
import dev.reactivews.WsPublisher;
import dev.reactivews.transport.WsEngine;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The publisher path through the engine's public API, with fake {@link dev.reactivews.transport.WsSocket}s that only
 * count what they are given: {@code encodeState} publishes a state to a topic with one
 * subscriber (what it costs to encode it once and hand it over), {@code fanOut} publishes one
 * state to {@code subscribers} peers (encoded once, the same bytes handed to each).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PublishBenchmark {
  private static final String ONE = "one";
  private static final String MANY = "many";

  @Param({"1000"})
  public int subscribers;

  /** {@code small}: {@code {"users":N}}; {@code chat}: a chat list of 50 lines, as the chat example sends. */
  @Param({"small", "chat"})
  public String payload;

  private WsEngine engine;
  private WsPublisher publisher;
  private Object value;
  private final LongAdder frames = new LongAdder();

  record ChatLine(String user, String text, long seq) {}

  @Setup(Level.Trial)
  public void setUp() {
    WsConfig config = WsConfig.builder().route("/_ws").defaults(MANY).build();
    engine = WsEngine.create(config, new WsHandler() {});
    engine.start();
    UpgradeRequest request = new UpgradeRequest(URI.create("ws://localhost/_ws"), Map.of(),
        new InetSocketAddress("127.0.0.1", 40000));
    // Every peer is on the default topic MANY from its open; the first one also subscribes to ONE.
    for (int i = 0; i < subscribers; i++) {
      engine.open(new FakeSocket(frames::increment), request);
    }
    engine.peers().iterator().next().subscribe(ONE);
    publisher = engine.publisher();
    value = switch (payload) {
      case "small" -> Map.of("users", 1234);
      case "chat" -> {
        List<ChatLine> lines = new ArrayList<>();
        for (int i = 1; i <= 50; i++) {
          lines.add(new ChatLine("peer-" + (i % 7), "line number " + i + " of a chat that goes on", i));
        }
        yield lines;
      }
      default -> throw new IllegalArgumentException(payload);
    };
  }

  @TearDown(Level.Trial)
  public void tearDown() throws InterruptedException {
    engine.closeAll();
    engine.awaitHooks(Duration.ofSeconds(5));
    engine.leaveCluster();
  }

  /** Encodes the state once and writes it to one peer. */
  @Benchmark
  public int encodeState() {
    return publisher.publish(ONE, value, SendOptions.DEFAULT);
  }

  /** Encodes the state once and writes the same bytes to every one of the {@code subscribers} peers. */
  @Benchmark
  public int fanOut() {
    return publisher.publish(MANY, value, SendOptions.DEFAULT);
  }
}
