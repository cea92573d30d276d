package dev.reactivews.examples.chat;

import dev.reactivews.examples.chathandler.ChatBrowserSuite;
import dev.reactivews.examples.chathandler.RunningChat;

/** {@link ChatBrowserSuite} against the Netty chat. */
class NettyChatBrowserTest extends ChatBrowserSuite {
  @Override
  protected RunningChat startChat(int port) {
    return NettyChat.start(port);
  }
}
