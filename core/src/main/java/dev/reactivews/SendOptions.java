package dev.reactivews;

/**
 * Options of one send or publish.
 *
 * @param compress compress this message with permessage-deflate when the peer negotiated it (the
 *     seed's {@code { compress: true }}); ignored for peers that did not
 * @param version 0 for none; else a number that grows with every new state of the topic (a
 *     sequence number kept with the state in storage, say). A peer then never gets a state of the
 *     topic older than (or as old as) one it already got, and each server node drops a publish
 *     whose version is not above the last one it delivered for the topic. So every client ends
 *     on the newest state, even when two nodes publish at once and their states cross on the
 *     way. Ignored by {@link Peer#send}, which has no topic
 */
public record SendOptions(boolean compress, long version) {
  public static final SendOptions DEFAULT = new SendOptions(false);
  public static final SendOptions COMPRESS = new SendOptions(true);

  public SendOptions {
    if (version < 0) {
      throw new IllegalArgumentException("version must be >= 0: " + version);
    }
  }

  /** Options without a version. */
  public SendOptions(boolean compress) {
    this(compress, 0);
  }

  /** These options with the state's version (above 0); see {@link #version()}. */
  public SendOptions version(long version) {
    return new SendOptions(compress, version);
  }
}
