package dev.reactivews.examples.springchat;

import dev.reactivews.examples.chathandler.ChatValidation;
import dev.reactivews.examples.chathandler.ChatValidationSuite;
import dev.reactivews.examples.chathandler.RunningChat;

/** {@link ChatValidationSuite} against the Spring chat, picking the validation by {@code chat.validation}. */
class SpringChatValidationTest extends ChatValidationSuite {
  @Override
  protected RunningChat startChat(ChatValidation validation) {
    return SpringChat.start(0, "--chat.validation=" + validation.choice());
  }
}
