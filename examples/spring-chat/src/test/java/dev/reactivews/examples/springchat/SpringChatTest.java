package dev.reactivews.examples.springchat;

import dev.reactivews.examples.chat.ChatSuite;
import dev.reactivews.examples.chat.RunningChat;

/** {@link ChatSuite} against the chat on Spring Boot. */
class SpringChatTest extends ChatSuite {
  @Override
  protected RunningChat startChat(int port) {
    return SpringChat.start(port);
  }
}
