package dev.reactivews.testing;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An HTTP/1.1 client over a plain socket that sends what a test writes, byte for byte and as
 * slowly as it likes (a head cut short, a trickle, a body that never ends), and reads the
 * answer by hand. Reads block for at most {@link WsRecorder#TIMEOUT}.
 */
public final class RawHttp implements AutoCloseable {
  /** One answer: its status, headers (case-insensitive) and body as ISO-8859-1 text. */
  public record Response(int status, Map<String, String> headers, String body) {
    /** A header of the answer, or null. */
    public @Nullable String header(String name) {
      return headers.get(name);
    }
  }

  private final Socket socket;
  private final InputStream in;

  private RawHttp(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new BufferedInputStream(socket.getInputStream());
  }

  /** A connection to the server on loopback, nothing sent yet. */
  public static RawHttp connect(int port) {
    return connect(port, null);
  }

  /**
   * As {@link #connect(int)}, from that local address ({@code 127.0.0.2}, say: every address of
   * 127.0.0.0/8 is loopback), so that the server sees another client address; null for any.
   */
  public static RawHttp connect(int port, @Nullable InetAddress localAddress) {
    try {
      Socket socket = new Socket();
      if (localAddress != null) {
        socket.bind(new InetSocketAddress(localAddress, 0));
      }
      socket.connect(new InetSocketAddress("127.0.0.1", port), (int) WsRecorder.TIMEOUT.toMillis());
      socket.setSoTimeout((int) WsRecorder.TIMEOUT.toMillis());
      return new RawHttp(socket);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends the request on a new connection and reads its answer. */
  public static Response exchange(int port, String request) {
    try (RawHttp http = connect(port)) {
      return http.send(request).readResponse();
    }
  }

  /** Writes the text as ISO-8859-1 bytes, as it is. */
  public RawHttp send(String text) {
    return send(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** Writes the bytes as they are. */
  public RawHttp send(byte[] bytes) {
    try {
      socket.getOutputStream().write(bytes);
      socket.getOutputStream().flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** Whether a write still goes through: false once the server has closed (and reset) the connection. */
  public boolean trySend(String text) {
    try {
      socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Reads the next answer: status line, headers, and a body of its {@code Content-Length}. */
  public Response readResponse() {
    try {
      HttpHead head = HttpHead.read(in);
      int length = Integer.parseInt(head.headers().getOrDefault("Content-Length", "0"));
      byte[] body = in.readNBytes(length);
      return new Response(head.status(), head.headers(), new String(body, StandardCharsets.ISO_8859_1));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }


  /** Whether the server has closed the connection: reads (and drops) until the end. */
  public boolean awaitEndOfStream() {
    return HttpHead.awaitEndOfStream(in);
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // already gone
    }
  }
}
