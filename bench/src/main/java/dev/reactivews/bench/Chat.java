package dev.reactivews.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code chat}: C clients subscribe to {@code chat}, then each sends K publishes at once (seed
 * 003's chat: the server appends each line to the stored list and sends the whole list). Once no
 * chat state came for 2 s, the longest list anybody got is read: {@code lost} is C×K minus the
 * distinct lines of this run in it, {@code duplicated} the lines in it more than once.
 */
final class Chat implements LoadGenerator.Scenario {
  private static final byte[] CHAT_TOPIC = "\"chat\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ERROR = "\"error\"".getBytes(StandardCharsets.US_ASCII);

  private final WsClients clients;
  private final int chatters;
  private final int messages;
  private final int concurrency;
  private final long settleMillis;
  private final long quietTimeoutMillis;
  /** Marks this run's lines, so lines a server kept from before never count. */
  private final String run = Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);

  // --- event loop only ---
  private JsonNode longest;
  private long chatFrames;
  private long errorFrames;
  private String firstError;
  private long lastChatNanos;

  Chat(WsClients clients, Args args) {
    this.clients = clients;
    this.chatters = args.integer("clients", 20);
    this.messages = args.integer("messages", 20);
    this.concurrency = args.integer("connect-concurrency", 256);
    this.settleMillis = args.number("settle-ms", 1000);
    this.quietTimeoutMillis = args.number("quiet-timeout-ms", 120_000);
  }

  @Override
  public void run(ObjectNode out) throws Exception {
    out.put("clients", chatters);
    out.put("messages", messages);
    WsClients.Opened opened = clients.connectAll(chatters, concurrency, i -> this::onText, "chat");
    List<WsClients.Conn> conns = opened.conns();
    clients.onLoop(() -> conns.forEach(c -> c.send("{\"type\":\"subscribe\",\"topic\":\"chat\"}")));
    // The protocol acknowledges no subscribe: give the servers a moment to take them all.
    Thread.sleep(settleMillis);
    long start = System.nanoTime();
    clients.onLoop(() -> {
      lastChatNanos = System.nanoTime();
      for (WsClients.Conn c : conns) {
        for (int m = 0; m < messages; m++) {
          c.write("{\"type\":\"publish\",\"topic\":\"chat\",\"payload\":{\"text\":\"" + line(c.index, m) + "\"}}");
        }
        c.flush();
      }
    });
    boolean quiet = LoadGenerator.await(
        () -> clients.onLoop(() -> System.nanoTime() - lastChatNanos > 2_000_000_000L), quietTimeoutMillis);
    clients.onLoop(() -> {
      int sentTotal = conns.size() * messages;
      Map<String, Integer> seen = new HashMap<>();
      int lines = 0;
      if (longest != null) {
        for (JsonNode line : longest) {
          String text = line.path("text").asString("");
          if (text.startsWith(run + "-")) {
            seen.merge(text, 1, Integer::sum);
            lines++;
          }
        }
      }
      int duplicated = lines - seen.size();
      out.put("connected", conns.size());
      out.put("connectFailed", opened.failed());
      out.put("sent", sentTotal);
      out.put("linesInLongestList", lines);
      out.put("lost", sentTotal - seen.size());
      out.put("duplicated", duplicated);
      out.put("chatFrames", chatFrames);
      out.put("errorFrames", errorFrames);
      if (firstError != null) {
        out.put("firstError", firstError);
      }
      out.put("quiet", quiet);
      out.put("seconds", LoadGenerator.round((lastChatNanos - start) / 1e9, 3));
      Log.progress("chat: %d sent, %d distinct in the longest list, %d duplicated", sentTotal, seen.size(), duplicated);
    });
  }

  private String line(int client, int message) {
    return run + "-c" + client + "-m" + message;
  }

  private void onText(WsClients.Conn conn, ByteBuf text) {
    if (JsonScan.contains(text, ERROR)) {
      errorFrames++;
      if (firstError == null) {
        firstError = text.toString(StandardCharsets.UTF_8);
      }
      return;
    }
    if (!JsonScan.contains(text, CHAT_TOPIC)) {
      return;
    }
    JsonNode frame;
    try {
      frame = LoadGenerator.JSON.readTree(new ByteBufInputStream(text.duplicate()));
    } catch (JacksonException e) {
      return;
    }
    JsonNode payload = frame.path("payload");
    if (!frame.path("topic").asString().equals("chat") || !payload.isArray()) {
      return;
    }
    chatFrames++;
    lastChatNanos = System.nanoTime();
    if (longest == null || payload.size() > longest.size()) {
      longest = payload;
    }
  }
}
