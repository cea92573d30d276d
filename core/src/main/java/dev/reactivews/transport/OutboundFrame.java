package dev.reactivews.transport;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A frame encoded once, to be written as is to one or many connections. Thread-safe.
 *
 * <p>A transport that sends every connection the same derived form of a frame (its payload
 * deflated for permessage-deflate, say) gets it from {@link #encoded}, so a fan-out derives it
 * once however many connections it reaches.
 */
public final class OutboundFrame {
  private final byte[] bytes;
  private final boolean text;
  private final boolean compress;
  /** The first form {@link #encoded} derived, with the function that derived it; null until then. */
  private volatile @Nullable Encoded<?> encoded;

  private record Encoded<T>(Function<OutboundFrame, T> encoder, T value) {}

  /**
   * @param bytes the payload; UTF-8 for text frames. Shared between connections: never modified
   * @param text whether it is a text frame (else binary)
   * @param compress whether to deflate it for connections that negotiated permessage-deflate
   */
  public OutboundFrame(byte[] bytes, boolean text, boolean compress) {
    this.bytes = bytes;
    this.text = text;
    this.compress = compress;
  }

  public static OutboundFrame text(String text, boolean compress) {
    return new OutboundFrame(text.getBytes(StandardCharsets.UTF_8), true, compress);
  }

  /** The payload; UTF-8 for text frames. Shared between connections: never modify it. */
  public byte[] bytes() {
    return bytes;
  }

  /** Whether it is a text frame (else binary). */
  public boolean text() {
    return text;
  }

  /** Whether to deflate it for connections that negotiated permessage-deflate. */
  public boolean compress() {
    return compress;
  }

  /**
   * What {@code encoder} makes of this frame, derived by the first caller and kept for the next
   * ones; {@code encoder} must be a function of the frame alone, and the same instance each
   * time. A frame keeps the form of one encoder: another one derives its form on every call.
   * Callers racing on the first call may each derive it.
   */
  @SuppressWarnings("unchecked")
  public <T> T encoded(Function<OutboundFrame, T> encoder) {
    Encoded<?> kept = encoded;
    if (kept != null) {
      return kept.encoder() == encoder ? (T) kept.value() : encoder.apply(this);
    }
    T value = encoder.apply(this);
    encoded = new Encoded<>(encoder, value);
    return value;
  }
}
