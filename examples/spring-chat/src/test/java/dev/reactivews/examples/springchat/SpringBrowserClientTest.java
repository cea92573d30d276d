package dev.reactivews.examples.springchat;

import dev.reactivews.examples.chathandler.BrowserClientSuite;
import dev.reactivews.examples.chathandler.RunningChat;

/** {@link BrowserClientSuite} against the chat on Spring Boot. */
class SpringBrowserClientTest extends BrowserClientSuite {
  @Override
  protected RunningChat startChat(int port) {
    return SpringChat.start(port);
  }
}
