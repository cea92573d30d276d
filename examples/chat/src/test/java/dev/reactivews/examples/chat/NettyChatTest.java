package dev.reactivews.examples.chat;

/** {@link ChatSuite} against the Netty chat. */
class NettyChatTest extends ChatSuite {
  @Override
  protected RunningChat startChat(int port) {
    return NettyChat.start(port);
  }
}
