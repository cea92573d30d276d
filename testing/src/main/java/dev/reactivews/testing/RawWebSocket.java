package dev.reactivews.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.jspecify.annotations.Nullable;

/**
 * A WebSocket client over a plain socket that does everything by hand, for what a well-behaved
 * client never does: frames built byte by byte (invalid UTF-8, fragments, compressed or not),
 * never answering pings, never reading. Reads block for at most {@link WsRecorder#TIMEOUT}.
 */
public final class RawWebSocket implements AutoCloseable {
  /** The opcodes of RFC 6455 5.2 that tests send or read. */
  public static final int CONTINUATION = 0x0;
  public static final int TEXT = 0x1;
  public static final int BINARY = 0x2;
  public static final int CLOSE = 0x8;
  public static final int PING = 0x9;
  public static final int PONG = 0xA;
  /** The reserved bits of a frame's first byte, to add to an opcode: RSV1 marks a deflated message. */
  public static final int RSV1 = 0x40;
  public static final int RSV2 = 0x20;
  public static final int RSV3 = 0x10;
  /** What {@link #awaitClose()} reports when the server dropped the connection without a close frame. */
  public static final int NO_CLOSE_FRAME = 1006;

  /** One frame as received; a compressed message is already inflated. */
  public record Frame(int opcode, boolean fin, boolean compressed, byte[] payload) {
    /** The payload as UTF-8 text. */
    public String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    /** The status code of a close frame, 1005 when it carries none. */
    public int closeCode() {
      return payload.length >= 2 ? ByteBuffer.wrap(payload).getShort() & 0xFFFF : 1005;
    }
  }

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private final int status;
  private final Map<String, String> headers;
  /** For messages the server deflated; the context carries over between messages. */
  private final Inflater inflater = new Inflater(true);

  private RawWebSocket(Socket socket, InputStream in, int status, Map<String, String> headers) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(in);
    this.out = socket.getOutputStream();
    this.status = status;
    this.headers = headers;
  }

  /** Sends the handshake to the path; {@link #status()} says whether the server upgraded. */
  public static RawWebSocket connect(int port, String path, Map<String, String> extraHeaders) {
    return connect(port, path, extraHeaders, 0);
  }

  /**
   * As {@link #connect(int, String, Map)} with a receive buffer of that many bytes (0 for the
   * system's), for a client meant to fall behind quickly.
   */
  public static RawWebSocket connect(int port, String path, Map<String, String> extraHeaders, int receiveBuffer) {
    try {
      Socket socket = new Socket();
      if (receiveBuffer > 0) {
        socket.setReceiveBufferSize(receiveBuffer);
      }
      socket.connect(new InetSocketAddress("127.0.0.1", port), (int) WsRecorder.TIMEOUT.toMillis());
      socket.setSoTimeout((int) WsRecorder.TIMEOUT.toMillis());
      byte[] nonce = new byte[16];
      new SecureRandom().nextBytes(nonce);
      StringBuilder request = new StringBuilder()
          .append("GET ").append(path).append(" HTTP/1.1\r\n")
          .append("Host: 127.0.0.1:").append(port).append("\r\n")
          .append("Upgrade: websocket\r\n")
          .append("Connection: Upgrade\r\n")
          .append("Sec-WebSocket-Key: ").append(Base64.getEncoder().encodeToString(nonce)).append("\r\n")
          .append("Sec-WebSocket-Version: 13\r\n");
      extraHeaders.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
      socket.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
      InputStream in = new BufferedInputStream(socket.getInputStream());
      HttpHead head = HttpHead.read(in);
      return new RawWebSocket(socket, in, head.status(), head.headers());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }


  /** The HTTP status of the handshake response: 101 when upgraded. */
  public int status() {
    return status;
  }

  /** A header of the handshake response, or null. */
  public @Nullable String header(String name) {
    return headers.get(name);
  }

  /** Sends one masked frame, as built; nothing is checked. */
  public RawWebSocket sendFrame(int opcode, boolean fin, byte[] payload) {
    return sendBytes(frame(opcode, fin, payload));
  }

  /**
   * The bytes of one masked frame, for sending several in one write: a server that closes
   * after the first cannot then break the writes of the others.
   */
  public static byte[] frame(int opcode, boolean fin, byte[] payload) {
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    frame.write((fin ? 0x80 : 0) | opcode);
    if (payload.length < 126) {
      frame.write(0x80 | payload.length);
    } else if (payload.length <= 0xFFFF) {
      frame.write(0x80 | 126);
      frame.write(payload.length >>> 8);
      frame.write(payload.length & 0xFF);
    } else {
      frame.write(0x80 | 127);
      frame.writeBytes(ByteBuffer.allocate(8).putLong(payload.length).array());
    }
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    frame.writeBytes(mask);
    for (int i = 0; i < payload.length; i++) {
      frame.write(payload[i] ^ mask[i % 4]);
    }
    return frame.toByteArray();
  }

  /** Writes the bytes as they are, framed or not. */
  public RawWebSocket sendBytes(byte[] bytes) {
    try {
      out.write(bytes);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** Sends one unfragmented text frame. */
  public RawWebSocket sendText(String text) {
    return sendFrame(TEXT, true, text.getBytes(StandardCharsets.UTF_8));
  }

  /** The next frame the server sent. */
  public Frame readFrame() throws IOException {
    int b0 = in.readUnsignedByte();
    int b1 = in.readUnsignedByte();
    long length = b1 & 0x7F;
    if (length == 126) {
      length = in.readUnsignedShort();
    } else if (length == 127) {
      length = in.readLong();
    }
    if ((b1 & 0x80) != 0) {
      throw new IOException("the server masked a frame");
    }
    byte[] payload = new byte[Math.toIntExact(length)];
    in.readFully(payload);
    boolean compressed = (b0 & 0x40) != 0;
    return new Frame(b0 & 0x0F, (b0 & 0x80) != 0, compressed, compressed ? inflate(payload) : payload);
  }

  private byte[] inflate(byte[] payload) throws IOException {
    // RFC 7692 7.2.2: the sender removed this empty block's tail; put it back before inflating.
    byte[] input = ByteBuffer.allocate(payload.length + 4).put(payload).put(new byte[] {0, 0, -1, -1}).array();
    inflater.setInput(input);
    ByteArrayOutputStream result = new ByteArrayOutputStream();
    byte[] chunk = new byte[8192];
    try {
      while (!inflater.needsInput()) {
        result.write(chunk, 0, inflater.inflate(chunk));
      }
    } catch (DataFormatException e) {
      throw new IOException("bad deflate data", e);
    }
    return result.toByteArray();
  }

  /** A message's deflate payload as RFC 7692 7.2.1 has a client send it, with RSV1: {@code 0x40 | opcode}. */
  public static byte[] deflate(byte[] data) {
    Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    deflater.setInput(data);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] chunk = new byte[8192];
    int n;
    while ((n = deflater.deflate(chunk, 0, chunk.length, Deflater.SYNC_FLUSH)) > 0) {
      out.write(chunk, 0, n);
      if (n < chunk.length) {
        break;
      }
    }
    deflater.end();
    byte[] all = out.toByteArray();
    return Arrays.copyOf(all, all.length - 4);
  }

  /** The next text frame, skipping pings. */
  public Frame readText() throws IOException {
    while (true) {
      Frame frame = readFrame();
      if (frame.opcode() != PING) {
        if (frame.opcode() != TEXT) {
          throw new IOException("expected a text frame, got opcode " + frame.opcode());
        }
        return frame;
      }
    }
  }

  /**
   * Reads until the server's close frame and returns its code, or {@link #NO_CLOSE_FRAME} if the
   * connection ended without one. Never answers anything.
   */
  public int awaitClose() {
    try {
      while (true) {
        Frame frame = readFrame();
        if (frame.opcode() == CLOSE) {
          return frame.closeCode();
        }
      }
    } catch (EOFException | SocketException e) {
      return NO_CLOSE_FRAME;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether the server has closed the TCP connection: reads (and drops) until the end. */
  public boolean awaitEndOfStream() {
    return HttpHead.awaitEndOfStream(in);
  }

  @Override
  public void close() {
    inflater.end();
    try {
      socket.close();
    } catch (IOException e) {
      // already gone
    }
  }

  @Override
  public String toString() {
    return "RawWebSocket{" + socket.getLocalPort() + " -> " + socket.getPort() + ", status " + status + "}";
  }
}
