package dev.reactivews.examples.chat;

import dev.reactivews.examples.chathandler.PackagedChat;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The packaged chat, {@code java -jar reactive-ws-chat.jar}, as the README starts it: it comes
 * up without a JDK warning (Netty's native transport included), serves its pages, the browser
 * client and Vue from inside the jar, and stops on SIGTERM. Runs after {@code package} (failsafe).
 */
@Timeout(120)
class ChatJarIT {
  private static final Pattern READY = Pattern.compile("^Chat running at http://127\\.0\\.0\\.1:(?<port>\\d+)/$");

  @Test
  void theJarStartsServesThePageTheClientAndVueAndStops() {
    try (PackagedChat chat = PackagedChat.start("chat.jar", Map.of("PORT", "0", "HOST", "127.0.0.1"), READY)) {
      chat.assertServesThePageTheClientAndVue();
      chat.stopCleanly();
    }
  }
}
