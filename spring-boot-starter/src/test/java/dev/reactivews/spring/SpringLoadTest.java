package dev.reactivews.spring;

import dev.reactivews.testing.WsTransport;
import dev.reactivews.testing.suite.LoadSuite;

class SpringLoadTest extends LoadSuite {
  @Override
  protected WsTransport transport() {
    return new SpringTransport();
  }
}
