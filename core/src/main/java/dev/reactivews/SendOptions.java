package dev.reactivews;

/**
 * Options of one send or publish.
 *
 * @param compress compress this message with permessage-deflate when the peer negotiated it (the
 *     nuxt-ws's {@code { compress: true }}); ignored for peers that did not
 * @param epoch which data set the {@code version} counts in, 0 for none: a value chosen once when
 *     the data set was created and stored beside it (its creation time, say). When the data set
 *     is lost and made anew (a storage emptied, a Redis restarted without its data), its versions
 *     start again from 1 under a new epoch; a state of an epoch other than the last one delivered
 *     is then taken as the newest, whatever its version, and the reset is logged once per topic
 *     and node. Without it, every node would drop the new states until their versions passed the
 *     old highest one
 * @param version 0 for none; else a number that grows with every new state of the topic (a
 *     sequence number kept with the state in storage, say). A peer then never gets a state of the
 *     topic older than (or as old as) one it already got, of the same epoch, and each server node
 *     drops a publish whose version is not above the last one it delivered for the topic in that
 *     epoch. So every client ends on the newest state, even when two nodes publish at once and
 *     their states cross on the way. A state frame carries it to the clients as {@code "v"},
 *     and the epoch as {@code "epoch"} (docs/protocol.md); the data frames of {@link
 *     Peer#publish} keep the same order but carry only what the app wrote. Ignored by {@link
 *     Peer#send}, which has no topic
 */
public record SendOptions(boolean compress, long epoch, long version) {
  public static final SendOptions DEFAULT = new SendOptions(false);
  public static final SendOptions COMPRESS = new SendOptions(true);

  public SendOptions {
    if (version < 0) {
      throw new IllegalArgumentException("version must be >= 0: " + version);
    }
    if (version == 0 && epoch != 0) {
      throw new IllegalArgumentException("an epoch needs a version above 0: epoch " + epoch);
    }
  }

  /** Options without a version. */
  public SendOptions(boolean compress) {
    this(compress, 0, 0);
  }

  /**
   * These options with the state's version (above 0) and this epoch; see {@link #version()}.
   * ({@code with}, so that it does not read as the getter.)
   */
  public SendOptions withVersion(long version) {
    return new SendOptions(compress, epoch, version);
  }

  /** These options with the state's version (above 0) in the epoch of its data set; see {@link #epoch()}. */
  public SendOptions withVersion(long epoch, long version) {
    return new SendOptions(compress, epoch, version);
  }
}
