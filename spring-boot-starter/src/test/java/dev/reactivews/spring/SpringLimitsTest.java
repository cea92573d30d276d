package dev.reactivews.spring;

import dev.reactivews.testing.WsTransport;
import dev.reactivews.testing.suite.LimitsSuite;

class SpringLimitsTest extends LimitsSuite {
  @Override
  protected WsTransport transport() {
    return new SpringTransport();
  }
}
