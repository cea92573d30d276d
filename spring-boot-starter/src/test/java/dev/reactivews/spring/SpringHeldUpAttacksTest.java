package dev.reactivews.spring;

import dev.reactivews.testing.WsTransport;
import dev.reactivews.testing.suite.HeldUpAttacksSuite;

/** The attacks that held, on Spring Boot's Tomcat. */
class SpringHeldUpAttacksTest extends HeldUpAttacksSuite {
  @Override
  protected WsTransport transport() {
    return new SpringTransport();
  }
}
