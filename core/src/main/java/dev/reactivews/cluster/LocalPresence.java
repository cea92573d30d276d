package dev.reactivews.cluster;

import java.util.function.IntSupplier;

/** No other node: no one else to count. */
enum LocalPresence implements Presence {
  INSTANCE;

  @Override
  public void start(IntSupplier localCount, Runnable othersChanged) {}

  @Override
  public void localChanged() {}

  @Override
  public int others() {
    return 0;
  }
}
