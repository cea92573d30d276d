package dev.reactivews.spring;

import dev.reactivews.testing.WsTransport;
import dev.reactivews.testing.suite.ProtocolSuite;

class SpringProtocolTest extends ProtocolSuite {
  @Override
  protected WsTransport transport() {
    return new SpringTransport();
  }
}
