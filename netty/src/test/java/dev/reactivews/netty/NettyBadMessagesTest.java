package dev.reactivews.netty;

import dev.reactivews.testing.WsTransport;
import dev.reactivews.testing.suite.BadMessagesSuite;

/** The bad-messages suite on Netty. */
class NettyBadMessagesTest extends BadMessagesSuite {
  @Override
  protected WsTransport transport() {
    return new NettyTransport();
  }
}
