package dev.reactivews.spring;

import dev.reactivews.testing.WsTransport;
import dev.reactivews.testing.suite.LimitsSuite;

class SpringLimitsTest extends LimitsSuite {
  @Override
  protected WsTransport transport() {
    return new SpringTransport();
  }

  /**
   * Tomcat answers each ping itself, with a blocking send from the connection's reading thread,
   * and Spring's handler never sees it: a peer that pings and never reads stops being read
   * (its pongs wait in the socket, nothing piles up in the server), but pings do not count
   * against the message rate here.
   */
  @Override
  protected boolean pingsReachTheEngine() {
    return false;
  }
}
