package dev.reactivews.examples.chat;

/** {@link BrowserClientSuite} against the Netty chat. */
class NettyBrowserClientTest extends BrowserClientSuite {
  @Override
  protected RunningChat startChat(int port) {
    return NettyChat.start(port);
  }
}
