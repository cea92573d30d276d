package dev.reactivews.redis.internal;

import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Keys and channel names as bytes, values as they are. A well-formed name is its UTF-8 bytes, as
 * before; a lone surrogate, which UTF-8 cannot hold (a plain String-to-UTF-8 conversion turns
 * every one into {@code ?}, so {@code "t\uD800"} and {@code "t\uDC00"} would share a channel),
 * is written as the three bytes UTF-8's pattern gives its code unit ({@code ED A0 80} to {@code
 * ED BF BF}, the generalized UTF-8 known as WTF-8). No well-formed text has those bytes, so
 * every name keeps a channel and a key of its own, and reads back as it was.
 */
final class KeyCodec implements RedisCodec<String, byte[]> {
  static final KeyCodec INSTANCE = new KeyCodec();

  private KeyCodec() {}

  @Override
  public String decodeKey(ByteBuffer bytes) {
    byte[] array = new byte[bytes.remaining()];
    bytes.get(array);
    return decode(array);
  }

  @Override
  public byte[] decodeValue(ByteBuffer bytes) {
    return ByteArrayCodec.INSTANCE.decodeValue(bytes);
  }

  @Override
  public ByteBuffer encodeKey(String key) {
    return ByteBuffer.wrap(encode(key));
  }

  @Override
  public ByteBuffer encodeValue(byte[] value) {
    return ByteArrayCodec.INSTANCE.encodeValue(value);
  }

  static byte[] encode(String text) {
    if (isWellFormed(text)) {
      return text.getBytes(StandardCharsets.UTF_8);
    }
    ByteBuffer out = ByteBuffer.allocate(text.length() * 3);
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        out.put(text.substring(start, i).getBytes(StandardCharsets.UTF_8));
        out.put((byte) (0xE0 | (c >> 12))).put((byte) (0x80 | ((c >> 6) & 0x3F))).put((byte) (0x80 | (c & 0x3F)));
        start = i + 1;
      }
    }
    out.put(text.substring(start).getBytes(StandardCharsets.UTF_8));
    byte[] encoded = new byte[out.position()];
    out.flip().get(encoded);
    return encoded;
  }

  /** The text of {@link #encode}'s bytes; any other malformed byte reads as U+FFFD, as in UTF-8. */
  static String decode(byte[] bytes) {
    int start = 0;
    StringBuilder text = null;
    for (int i = 0; i + 2 < bytes.length; i++) {
      if ((bytes[i] & 0xFF) == 0xED && (bytes[i + 1] & 0xE0) == 0xA0 && (bytes[i + 2] & 0xC0) == 0x80) {
        if (text == null) {
          text = new StringBuilder(bytes.length);
        }
        text.append(new String(bytes, start, i - start, StandardCharsets.UTF_8));
        text.append((char) (0xD000 | ((bytes[i + 1] & 0x3F) << 6) | (bytes[i + 2] & 0x3F)));
        i += 2;
        start = i + 1;
      }
    }
    if (text == null) {
      return new String(bytes, StandardCharsets.UTF_8);
    }
    return text.append(new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8)).toString();
  }

  private static boolean isWellFormed(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }
}
