package dev.reactivews.netty;

import dev.reactivews.testing.WsTransport;
import dev.reactivews.testing.suite.LimitsSuite;

/** The limits suite on Netty. */
class NettyLimitsTest extends LimitsSuite {
  @Override
  protected WsTransport transport() {
    return new NettyTransport();
  }
}
