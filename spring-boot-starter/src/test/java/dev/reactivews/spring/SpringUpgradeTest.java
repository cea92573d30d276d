package dev.reactivews.spring;

import dev.reactivews.testing.WsTransport;
import dev.reactivews.testing.suite.UpgradeSuite;

class SpringUpgradeTest extends UpgradeSuite {
  @Override
  protected WsTransport transport() {
    return new SpringTransport();
  }
}
