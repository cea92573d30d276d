package dev.reactivews.transport;

import java.nio.charset.StandardCharsets;

/**
 * A frame encoded once, to be written as is to one or many connections.
 *
 * @param bytes the payload; UTF-8 for text frames. Shared between connections: never modified
 * @param text whether it is a text frame (else binary)
 * @param compress whether to deflate it for connections that negotiated permessage-deflate
 */
public record OutboundFrame(byte[] bytes, boolean text, boolean compress) {
  public static OutboundFrame text(String text, boolean compress) {
    return new OutboundFrame(text.getBytes(StandardCharsets.UTF_8), true, compress);
  }
}
