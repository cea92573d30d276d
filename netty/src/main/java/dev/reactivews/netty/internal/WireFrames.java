package dev.reactivews.netty.internal;

import dev.reactivews.transport.OutboundFrame;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.zip.Deflater;

/**
 * How a server's frames go on the wire (RFC 6455 5.2), written by the server itself rather
 * than by Netty's encoders, so a fan-out shares its work between connections: a frame sent
 * with {@code compress} is deflated once, when the first connection that negotiated
 * permessage-deflate needs it, and every such connection sends the same bytes. That holds
 * because the server always answers {@code server_no_context_takeover} (RFC 7692 7.1.1.1): each
 * message is deflated on its own, with the same parameters for every connection.
 */
final class WireFrames {
  private static final int FIN = 0x80;
  private static final int RSV1 = 0x40;
  private static final int OPCODE_TEXT = 0x1;
  private static final int OPCODE_BINARY = 0x2;
  private static final int OPCODE_PONG = 0xA;
  /** What a sync flush ends with, which permessage-deflate leaves out (RFC 7692 7.2.1). */
  private static final int FLUSH_MARKER_BYTES = 4;

  /** A frame's payload as the connections that negotiated permessage-deflate send it. */
  record Payload(byte[] bytes, boolean deflated) {}

  private final int level;
  /** Deflaters cost native memory to make: kept for the next message, as many as may work at once. */
  private final BlockingQueue<Deflater> idleDeflaters =
      new ArrayBlockingQueue<>(2 * Runtime.getRuntime().availableProcessors());
  /** The same function each time, so that every connection finds what the first one deflated. */
  private final Function<OutboundFrame, Payload> deflation = this::deflate;
  /** How many messages were deflated: tests check that a fan-out deflates a message once. */
  private final LongAdder deflatedMessages = new LongAdder();

  WireFrames(int level) {
    this.level = level;
  }

  long deflatedMessages() {
    return deflatedMessages.sum();
  }

  /** Deflated if that makes it smaller; a message may always go uncompressed (RFC 7692 6). */
  private Payload deflate(OutboundFrame frame) {
    deflatedMessages.increment();
    byte[] input = frame.bytes();
    Deflater deflater = idleDeflaters.poll();
    if (deflater == null) {
      deflater = new Deflater(level, true);
    }
    try {
      deflater.setInput(input);
      byte[] output = new byte[input.length / 2 + 64];
      int length = 0;
      while (true) {
        length += deflater.deflate(output, length, output.length - length, Deflater.SYNC_FLUSH);
        if (length < output.length) {
          break;
        }
        output = Arrays.copyOf(output, output.length * 2);
      }
      int deflatedLength = length - FLUSH_MARKER_BYTES;
      return deflatedLength < input.length
          ? new Payload(Arrays.copyOf(output, deflatedLength), true)
          : new Payload(input, false);
    } finally {
      deflater.reset();
      if (!idleDeflaters.offer(deflater)) {
        deflater.end();
      }
    }
  }

  /**
   * The bytes the frame takes on the wire, header included, for a connection that negotiated
   * permessage-deflate ({@code deflate}) or not.
   */
  int encodedLength(OutboundFrame frame, boolean deflate) {
    int length = deflates(frame, deflate) ? frame.encoded(deflation).bytes().length : frame.bytes().length;
    return headerLength(length) + length;
  }

  private static boolean deflates(OutboundFrame frame, boolean deflate) {
    return deflate && frame.compress();
  }

  private static int headerLength(int payloadLength) {
    return payloadLength < 126 ? 2 : payloadLength <= 0xFFFF ? 4 : 10;
  }

  /** Writes the frame, unfragmented and unmasked (servers never mask, RFC 6455 5.1). */
  void encode(ByteBuf out, OutboundFrame frame, boolean deflate) {
    byte[] payload = frame.bytes();
    boolean deflated = false;
    if (deflates(frame, deflate)) {
      Payload deflatedPayload = frame.encoded(deflation);
      payload = deflatedPayload.bytes();
      deflated = deflatedPayload.deflated();
    }
    writeFrame(out, FIN | (deflated ? RSV1 : 0) | (frame.text() ? OPCODE_TEXT : OPCODE_BINARY), payload);
  }

  /** The bytes a pong with this payload takes on the wire. */
  static int pongLength(byte[] payload) {
    return headerLength(payload.length) + payload.length;
  }

  /** Writes a pong that carries the ping's payload (RFC 6455 5.5.3). */
  static void encodePong(ByteBuf out, byte[] payload) {
    writeFrame(out, FIN | OPCODE_PONG, payload);
  }

  private static void writeFrame(ByteBuf out, int first, byte[] payload) {
    int length = payload.length;
    // A buffer write each for the header's few bytes would cost more than the bytes themselves.
    if (length < 126) {
      out.writeShort(first << 8 | length);
    } else if (length <= 0xFFFF) {
      out.writeInt(first << 24 | 126 << 16 | length);
    } else {
      out.writeShort(first << 8 | 127);
      out.writeLong(length);
    }
    out.writeBytes(payload);
  }
}
