package dev.reactivews.netty;

import dev.reactivews.testing.WsTransport;
import dev.reactivews.testing.suite.UpgradeSuite;

/** The upgrade suite on Netty. */
class NettyUpgradeTest extends UpgradeSuite {
  @Override
  protected WsTransport transport() {
    return new NettyTransport();
  }
}
