package dev.reactivews.netty;

import dev.reactivews.testing.WsTransport;
import dev.reactivews.testing.suite.LoadSuite;

/** The load suite on Netty. */
class NettyLoadTest extends LoadSuite {
  @Override
  protected WsTransport transport() {
    return new NettyTransport();
  }
}
