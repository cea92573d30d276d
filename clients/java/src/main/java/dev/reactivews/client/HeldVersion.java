package dev.reactivews.client;

import java.util.Objects;

/**
 * The version of a topic's state this client holds: the {@code "epoch"} and {@code "v"} of the
 * topic's last state frame ({@code docs/protocol.md}). Numbers count within one epoch, the name
 * the server gives a data set; compare epochs for equality only, since a server may name them as
 * it likes.
 *
 * @param epoch the epoch as the server wrote it, {@code "0"} when the frame had none
 * @param number the state's version within the epoch, 0 or more
 */
public record HeldVersion(String epoch, long number) {
  public HeldVersion {
    Objects.requireNonNull(epoch, "epoch == null");
    if (number < 0) {
      throw new IllegalArgumentException("a version is 0 or more: " + number);
    }
  }
}
