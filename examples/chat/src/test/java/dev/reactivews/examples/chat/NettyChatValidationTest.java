package dev.reactivews.examples.chat;

import dev.reactivews.examples.chathandler.ChatValidation;
import dev.reactivews.examples.chathandler.ChatValidationSuite;
import dev.reactivews.examples.chathandler.RunningChat;

/** {@link ChatValidationSuite} against the Netty chat, picking the validation by {@code CHAT_VALIDATION}. */
class NettyChatValidationTest extends ChatValidationSuite {
  @Override
  protected RunningChat startChat(ChatValidation validation) {
    return NettyChat.start(0, validation);
  }
}
