package dev.reactivews.examples.chat;

/** {@link ChatBrowserSuite} against the Netty chat. */
class NettyChatBrowserTest extends ChatBrowserSuite {
  @Override
  protected RunningChat startChat(int port) {
    return NettyChat.start(port);
  }
}
