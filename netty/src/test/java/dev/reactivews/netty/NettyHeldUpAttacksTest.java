package dev.reactivews.netty;

import dev.reactivews.testing.WsTransport;
import dev.reactivews.testing.suite.HeldUpAttacksSuite;

/** The attacks that held, on Netty. */
class NettyHeldUpAttacksTest extends HeldUpAttacksSuite {
  @Override
  protected WsTransport transport() {
    return new NettyTransport();
  }
}
