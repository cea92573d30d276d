package dev.reactivews.cluster;

import dev.reactivews.transport.OutboundFrame;

/** No other node: local delivery is all there is. */
enum LocalBackplane implements Backplane {
  INSTANCE;

  @Override
  public void start(Delivery delivery) {}

  @Override
  public void subscribe(String topic) {}

  @Override
  public void unsubscribe(String topic) {}

  @Override
  public void publish(String topic, OutboundFrame frame, long epoch, long version) {}
}
