package dev.reactivews.bench.jmh;

import dev.reactivews.WsMessages;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.databind.JsonNode;

/**
 * The lenient parse every inbound text frame goes through ({@code wsParseMessage}): JSON text
 * becomes a tree, anything else comes back as a string, within the depth and size limits.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ParseBenchmark {
  /** The frames a server sees most: a publish, a subscribe, a chat line, and text that is not JSON. */
  @Param({"publish", "subscribe", "chat", "plain"})
  public String frame;

  private String text;

  @Setup
  public void setUp() {
    text = switch (frame) {
      case "publish" -> "{\"type\":\"publish\",\"topic\":\"bench\",\"payload\":{\"t\":81724365123456,\"n\":4711}}";
      case "subscribe" -> "{\"type\":\"subscribe\",\"topic\":\"chat\"}";
      case "chat" -> "{\"type\":\"publish\",\"topic\":\"chat\",\"payload\":{\"text\":\"Hello everybody, how is the weather over there today?\"}}";
      case "plain" -> "hello, this is not JSON at all";
      default -> throw new IllegalArgumentException(frame);
    };
  }

  @Benchmark
  public JsonNode parse() {
    return WsMessages.parse(text);
  }

  /**
   * The same parse where the engine does it: on a virtual thread started for the peer's hooks.
   * With {@code -prof gc}, {@code gc.alloc.rate.norm} shows whether parse buffers are recycled
   * across threads that live for one message.
   */
  @Benchmark
  public JsonNode parseOnAVirtualThread() throws InterruptedException, ExecutionException {
    FutureTask<JsonNode> parse = new FutureTask<>(() -> WsMessages.parse(text));
    Thread.ofVirtual().start(parse);
    return parse.get();
  }
}
