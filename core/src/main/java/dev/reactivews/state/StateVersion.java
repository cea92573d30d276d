package dev.reactivews.state;

/**
 * A state's version: its {@code number} within the {@code epoch} that names its data set. A state
 * topic's number grows by exactly 1 with each change; a new epoch means the data set was made
 * anew (a store that lost its data or went back), so numbers start again and compare only within
 * one epoch. Version 0 of epoch 0 is a topic with nothing stored.
 */
public record StateVersion(long epoch, long number) {
  /** A topic with nothing stored. */
  public static final StateVersion NONE = new StateVersion(0, 0);

  /**
   * Whether a state of this version may follow one of {@code last} (null for none): a later
   * number of the same epoch, or any number of another epoch, so a data set made anew is never
   * held back by the numbers of the one it replaced.
   */
  public boolean follows(StateVersion last) {
    return last == null || resets(last) || number > last.number;
  }

  /** Whether this version belongs to another data set than {@code last} (null for none). */
  public boolean resets(StateVersion last) {
    return last != null && epoch != last.epoch;
  }
}
