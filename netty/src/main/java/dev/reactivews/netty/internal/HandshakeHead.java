package dev.reactivews.netty.internal;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A connection's first bytes read as the plainest RFC 6455 handshake: one whole head and nothing
 * after it, {@code GET} on exactly the WebSocket route over HTTP/1.1, printable ASCII only, no
 * folded header, no body, and the upgrade headers right (version 13, one 16-byte key). Anything
 * else is not read here at all: {@link #parse} answers null and the full HTTP stack reads the same
 * bytes, with every answer it gives (a 4xx, a route, a file) unchanged.
 */
record HandshakeHead(String target, List<Map.Entry<String, String>> headers, String key, String extensions,
    String subprotocols) {
  /** What Netty's HTTP decoder takes by default, initial line and headers together. */
  static final int MAX_HEAD_BYTES = 8192;
  private static final byte[] GET = "GET ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] HTTP_1_1 = " HTTP/1.1".getBytes(StandardCharsets.US_ASCII);
  /** Names as browsers and clients spell them, shared rather than made again for every handshake. */
  private static final String[] COMMON_NAMES = {"Host", "Upgrade", "Connection", "Sec-WebSocket-Key",
      "Sec-WebSocket-Version", "Sec-WebSocket-Extensions", "Sec-WebSocket-Protocol", "Origin", "User-Agent",
      "Cookie", "Pragma", "Cache-Control", "Accept-Encoding", "Accept-Language", "Authorization",
      "host", "upgrade", "connection", "sec-websocket-key", "sec-websocket-version", "sec-websocket-extensions",
      "sec-websocket-protocol", "origin", "user-agent", "cookie", "pragma", "cache-control", "accept-encoding",
      "accept-language", "authorization"};

  /** The handshake in {@code bytes} (left unread), or null when the full HTTP stack must read them. */
  static HandshakeHead parse(ByteBuf bytes, String route) {
    int start = bytes.readerIndex();
    int end = bytes.writerIndex();
    if (end - start > MAX_HEAD_BYTES || end - start < 4 || !endsWithBlankLine(bytes, end)) {
      return null;
    }
    int lineEnd = lineEnd(bytes, start, end);
    String target = requestTarget(bytes, start, lineEnd, route);
    if (target == null) {
      return null;
    }
    Fields fields = new Fields();
    int line = lineEnd + 2;
    // The blank line that ends the head starts at end - 2.
    while (line < end - 2) {
      int next = lineEnd(bytes, line, end);
      if (next < 0 || !fields.add(bytes, line, next)) {
        return null;
      }
      line = next + 2;
    }
    return fields.isPlainHandshake() ? new HandshakeHead(target, fields.headers, fields.key,
        fields.extensions, fields.subprotocols) : null;
  }

  private static boolean endsWithBlankLine(ByteBuf bytes, int end) {
    return bytes.getByte(end - 4) == '\r' && bytes.getByte(end - 3) == '\n'
        && bytes.getByte(end - 2) == '\r' && bytes.getByte(end - 1) == '\n';
  }

  /** Where the line from {@code from} ends (its CR), or -1 when a bare CR or LF comes first. */
  private static int lineEnd(ByteBuf bytes, int from, int end) {
    for (int i = from; i < end - 1; i++) {
      byte b = bytes.getByte(i);
      if (b == '\r') {
        return bytes.getByte(i + 1) == '\n' ? i : -1;
      }
      if (b == '\n') {
        return -1;
      }
    }
    return -1;
  }

  /** The target of {@code GET <route>[?query] HTTP/1.1}, or null for any other request line. */
  private static String requestTarget(ByteBuf bytes, int start, int lineEnd, String route) {
    int targetStart = start + GET.length;
    int targetEnd = lineEnd - HTTP_1_1.length;
    if (lineEnd < 0 || targetEnd <= targetStart || !startsWith(bytes, start, GET)
        || !startsWith(bytes, targetEnd, HTTP_1_1)) {
      return null;
    }
    int pathEnd = targetEnd;
    for (int i = targetStart; i < targetEnd; i++) {
      byte b = bytes.getByte(i);
      // Printable, no fragment; a '%' in the path would need decoding to compare with the route.
      if (b <= ' ' || b >= 0x7f || b == '#' || (b == '%' && pathEnd == targetEnd)) {
        return null;
      }
      if (b == '?' && pathEnd == targetEnd) {
        pathEnd = i;
      }
    }
    if (pathEnd - targetStart != route.length()
        || !route.contentEquals(bytes.toString(targetStart, route.length(), StandardCharsets.US_ASCII))) {
      return null;
    }
    return bytes.toString(targetStart, targetEnd - targetStart, StandardCharsets.US_ASCII);
  }

  private static boolean startsWith(ByteBuf bytes, int at, byte[] prefix) {
    for (int i = 0; i < prefix.length; i++) {
      if (bytes.getByte(at + i) != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  /** The header lines read so far, and what the handshake checks of them. */
  private static final class Fields {
    final List<Map.Entry<String, String>> headers = new ArrayList<>(12);
    boolean upgradeToWebSocket;
    boolean connectionUpgrade;
    int versions;
    boolean version13;
    int keys;
    String key;
    String extensions;
    String subprotocols;
    boolean body;

    /** Adds the header line {@code [from, to)}; false when it is not a plain {@code name: value}. */
    boolean add(ByteBuf bytes, int from, int to) {
      int colon = -1;
      for (int i = from; i < to; i++) {
        byte b = bytes.getByte(i);
        if (colon < 0 && b == ':') {
          colon = i;
        } else if (colon < 0 ? !isTokenChar(b) : (b < ' ' && b != '\t') || b >= 0x7f) {
          return false;
        }
      }
      if (colon <= from) {
        return false;
      }
      int valueStart = colon + 1;
      int valueEnd = to;
      while (valueStart < valueEnd && isBlank(bytes.getByte(valueStart))) {
        valueStart++;
      }
      while (valueEnd > valueStart && isBlank(bytes.getByte(valueEnd - 1))) {
        valueEnd--;
      }
      String name = nameOf(bytes, from, colon - from);
      String value = bytes.toString(valueStart, valueEnd - valueStart, StandardCharsets.US_ASCII);
      headers.add(Map.entry(name, value));
      see(name, value);
      return true;
    }

    private void see(String name, String value) {
      if (name.equalsIgnoreCase("upgrade")) {
        upgradeToWebSocket |= hasToken(value, "websocket");
      } else if (name.equalsIgnoreCase("connection")) {
        connectionUpgrade |= hasToken(value, "upgrade");
      } else if (name.equalsIgnoreCase("sec-websocket-version")) {
        versions++;
        version13 = value.equals(UpgradeHandler.VERSION_13);
      } else if (name.equalsIgnoreCase("sec-websocket-key")) {
        keys++;
        key = value;
      } else if (name.equalsIgnoreCase("sec-websocket-extensions")) {
        extensions = extensions == null ? value : extensions + ", " + value;
      } else if (name.equalsIgnoreCase("sec-websocket-protocol")) {
        subprotocols = subprotocols == null ? value : subprotocols + ", " + value;
      } else if (name.equalsIgnoreCase("content-length")) {
        body |= !value.equals("0");
      } else if (name.equalsIgnoreCase("transfer-encoding")) {
        body = true;
      }
    }

    boolean isPlainHandshake() {
      return upgradeToWebSocket && connectionUpgrade && versions == 1 && version13 && keys == 1 && !body
          && UpgradeHandler.isSixteenBytesOfBase64(key);
    }
  }

  private static String nameOf(ByteBuf bytes, int from, int length) {
    for (String common : COMMON_NAMES) {
      if (common.length() == length && spells(bytes, from, common)) {
        return common;
      }
    }
    return bytes.toString(from, length, StandardCharsets.US_ASCII);
  }

  private static boolean spells(ByteBuf bytes, int from, String name) {
    for (int i = 0; i < name.length(); i++) {
      if (bytes.getByte(from + i) != name.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static boolean hasToken(String list, String token) {
    for (String item : list.split(",")) {
      if (item.strip().equalsIgnoreCase(token)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isBlank(byte b) {
    return b == ' ' || b == '\t';
  }

  /** RFC 9110 5.6.2. */
  private static boolean isTokenChar(byte b) {
    return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
        || "!#$%&'*+-.^_`|~".indexOf(b) >= 0;
  }
}
