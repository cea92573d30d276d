package dev.reactivews.examples.springchat;

import dev.reactivews.examples.chathandler.ChatBrowserSuite;
import dev.reactivews.examples.chathandler.RunningChat;

/** {@link ChatBrowserSuite} against the chat on Spring Boot. */
class SpringChatBrowserTest extends ChatBrowserSuite {
  @Override
  protected RunningChat startChat(int port) {
    return SpringChat.start(port);
  }
}
