package dev.reactivews.testing;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/** What the hand-made clients read of an HTTP answer as it comes off the socket. */
record HttpHead(int status, Map<String, String> headers) {
  /** Reads the status line and the headers (names ignoring case), up to the blank line. */
  static HttpHead read(InputStream in) throws IOException {
    String statusLine = readLine(in);
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
      int colon = line.indexOf(':');
      headers.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
    }
    return new HttpHead(Integer.parseInt(statusLine.split(" ")[1]), headers);
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new EOFException("connection closed before the whole head of an answer");
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }

  /** Whether the server has closed the connection: reads (and drops) until the end. */
  static boolean awaitEndOfStream(InputStream in) {
    try {
      byte[] sink = new byte[8192];
      while (in.read(sink) >= 0) {
        // dropped
      }
      return true;
    } catch (SocketException e) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
