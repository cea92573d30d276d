package dev.reactivews;

/**
 * Options of one send or publish.
 *
 * @param compress compress this message with permessage-deflate when the peer negotiated it (the
 *     seed's {@code { compress: true }}); ignored for peers that did not
 */
public record SendOptions(boolean compress) {
  public static final SendOptions DEFAULT = new SendOptions(false);
  public static final SendOptions COMPRESS = new SendOptions(true);
}
