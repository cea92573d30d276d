package dev.reactivews.spring;

import dev.reactivews.testing.WsTransport;
import dev.reactivews.testing.suite.BadMessagesSuite;

class SpringBadMessagesTest extends BadMessagesSuite {
  @Override
  protected WsTransport transport() {
    return new SpringTransport();
  }
}
