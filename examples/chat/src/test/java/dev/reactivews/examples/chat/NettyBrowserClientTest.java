package dev.reactivews.examples.chat;

import dev.reactivews.examples.chathandler.BrowserClientSuite;
import dev.reactivews.examples.chathandler.RunningChat;

/** {@link BrowserClientSuite} against the Netty chat. */
class NettyBrowserClientTest extends BrowserClientSuite {
  @Override
  protected RunningChat startChat(int port) {
    return NettyChat.start(port);
  }
}
