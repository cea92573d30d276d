package dev.reactivews.bench;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code list} topic of the state scenarios (docs/benchmarks.md): a list every server
 * starts with {@code $LIST_PREFILL} entries and grows by one entry per publish, and what the load
 * generator reads of its frames. Every entry is {@code {"n":N,"text":"x…"}}, the same bytes on
 * every server; the prefill is entries 0 to H-1, the load generator's from {@link #FIRST_SENT} on.
 */
final class ListTopic {
  static final String TOPIC = "list";
  static final String PREFILL_VARIABLE = "LIST_PREFILL";
  static final long FIRST_SENT = 1_000_000;
  private static final String TEXT = "x".repeat(56);
  /** Every server writes {@code topic} (and a version) first: the head tells a frame's topic and version. */
  private static final int HEAD_BYTES = 96;
  private static final Pattern TOPIC_HEAD = Pattern.compile("^\\{\"topic\":\"" + TOPIC + "\"");
  private static final Pattern V = Pattern.compile("\"v\":(\\d+)");
  private static final Pattern EPOCH = Pattern.compile("\"epoch\":\"([^\"]*)\"");

  private ListTopic() {}

  /** Entry {@code n} as JSON. */
  static String entry(long n) {
    return "{\"n\":" + n + ",\"text\":\"" + TEXT + "\"}";
  }

  /** The prefill's entries, as JSON. */
  static List<String> prefill(int entries) {
    List<String> list = new ArrayList<>(entries);
    for (int n = 0; n < entries; n++) {
      list.add(entry(n));
    }
    return list;
  }

  /** The publish that appends entry {@code n}. */
  static String publish(long n) {
    return "{\"type\":\"publish\",\"topic\":\"" + TOPIC + "\",\"payload\":" + entry(n) + "}";
  }

  /** What the head of a frame of the list topic says; null for a frame of another topic. */
  record Head(boolean patch, long version, String epoch) {
    static final long NONE = -1;

    static Head of(ByteBuf text) {
      String head = text.toString(text.readerIndex(), Math.min(HEAD_BYTES, text.readableBytes()), StandardCharsets.UTF_8);
      if (!TOPIC_HEAD.matcher(head).find()) {
        return null;
      }
      Matcher v = V.matcher(head);
      Matcher epoch = EPOCH.matcher(head);
      boolean patch = !head.contains("\"payload\":");
      return new Head(patch, v.find() ? Long.parseLong(v.group(1)) : NONE, epoch.find() ? epoch.group(1) : "0");
    }
  }
}
