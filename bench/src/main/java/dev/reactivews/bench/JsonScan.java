package dev.reactivews.bench;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Reads one number out of a frame without decoding it: the load generator sees hundreds of
 * thousands of frames a second on one core, so it looks for {@code "key":} and reads the digits
 * after it (spaces allowed), as every server's JSON writer spells it.
 */
final class JsonScan {
  /** A key, as the bytes {@code "name":}. */
  record Key(byte[] bytes) {
    static Key of(String name) {
      return new Key(("\"" + name + "\"").getBytes(StandardCharsets.US_ASCII));
    }
  }

  static final long MISSING = Long.MIN_VALUE;

  private JsonScan() {}

  /** The integer value of the key's first occurrence, or {@link #MISSING}. */
  static long number(ByteBuf buf, Key key) {
    return number(buf, key, buf.readerIndex());
  }

  static long number(ByteBuf buf, Key key, int from) {
    byte[] k = key.bytes();
    int end = buf.writerIndex();
    outer:
    for (int i = from; i <= end - k.length; i++) {
      for (int j = 0; j < k.length; j++) {
        if (buf.getByte(i + j) != k[j]) {
          continue outer;
        }
      }
      int p = i + k.length;
      while (p < end && buf.getByte(p) == ' ') {
        p++;
      }
      if (p >= end || buf.getByte(p) != ':') {
        continue;
      }
      p++;
      while (p < end && buf.getByte(p) == ' ') {
        p++;
      }
      boolean negative = p < end && buf.getByte(p) == '-';
      if (negative) {
        p++;
      }
      long value = 0;
      int digits = 0;
      while (p < end) {
        byte b = buf.getByte(p);
        if (b < '0' || b > '9') {
          break;
        }
        value = value * 10 + (b - '0');
        digits++;
        p++;
      }
      return digits == 0 ? MISSING : negative ? -value : value;
    }
    return MISSING;
  }

  /** Whether the bytes of the text occur in the frame. */
  static boolean contains(ByteBuf buf, byte[] text) {
    int end = buf.writerIndex();
    outer:
    for (int i = buf.readerIndex(); i <= end - text.length; i++) {
      for (int j = 0; j < text.length; j++) {
        if (buf.getByte(i + j) != text[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
