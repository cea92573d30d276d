package dev.reactivews.internal;

import dev.reactivews.SendOptions;

/** A state's version within the epoch of its data set; see {@link SendOptions#epoch()}. */
record StateVersion(long epoch, long number) {
  /** The options' version, or null for a state without one. */
  static StateVersion of(SendOptions options) {
    return of(options.epoch(), options.version());
  }

  /** The version, or null when {@code number} is 0 (none). */
  static StateVersion of(long epoch, long number) {
    return number <= 0 ? null : new StateVersion(epoch, number);
  }

  /**
   * Whether a state of this version may follow one of {@code last} (null for none): a later
   * number of the same epoch, or any number of another epoch, so a data set made anew is never
   * held back by the numbers of the one it replaced.
   */
  boolean follows(StateVersion last) {
    return last == null || resets(last) || number > last.number;
  }

  /** Whether this version belongs to another data set than {@code last}. */
  boolean resets(StateVersion last) {
    return last != null && epoch != last.epoch;
  }
}
