package dev.reactivews.examples.springchat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivews.examples.chathandler.PackagedChat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Spring chat's Boot jar, {@code java -jar reactive-ws-spring-chat.jar}, as the README starts
 * it: it comes up without a JDK warning, serves the page, the browser client and Vue, and stops
 * on SIGTERM. Runs after {@code package} (failsafe).
 */
@Timeout(180)
class SpringChatJarIT {
  private static final Pattern READY = Pattern.compile("Tomcat started on port (?<port>\\d+) \\(http\\)");

  @Test
  void theBootJarStartsServesThePageTheClientAndVueAndStops() {
    try (PackagedChat chat = PackagedChat.start("spring-chat.jar", Map.of("PORT", "0"), READY)) {
      chat.assertServesThePageTheClientAndVue();
      chat.stopCleanly();
    }
  }

  /** With {@code ws.storage.driver: redis}, Lettuce loads Netty's native transport: the JDK lets it without a warning. */
  @Test
  void theBootJarAllowsNativeAccess() throws IOException {
    try (JarFile jar = new JarFile(Path.of(System.getProperty("spring-chat.jar")).toFile())) {
      assertThat(jar.getManifest().getMainAttributes().getValue("Enable-Native-Access")).isEqualTo("ALL-UNNAMED");
    }
  }
}
