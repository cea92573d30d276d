package dev.reactivews.examples.chat;

import dev.reactivews.examples.chathandler.ChatSuite;
import dev.reactivews.examples.chathandler.RunningChat;

/** {@link ChatSuite} against the Netty chat. */
class NettyChatTest extends ChatSuite {
  @Override
  protected RunningChat startChat(int port) {
    return NettyChat.start(port);
  }
}
