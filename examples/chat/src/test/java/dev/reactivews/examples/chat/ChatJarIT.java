package dev.reactivews.examples.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The packaged chat, {@code java -jar reactive-ws-chat.jar}, as the README starts it: it comes
 * up without a JDK warning, serves its pages, the browser client and Vue from inside the jar, and
 * stops on SIGTERM. Runs after {@code package} (the build's {@code packaged-jars} execution).
 */
@Timeout(120)
class ChatJarIT {
  private static final Pattern READY = Pattern.compile("^Chat running at http://127\\.0\\.0\\.1:(?<port>\\d+)/$");

  @Test
  void theJarStartsServesThePageTheClientAndVueAndStops() {
    try (JarProcess chat = JarProcess.start("chat.jar", Map.of("PORT", "0", "HOST", "127.0.0.1"), READY)) {
      HttpResponse<String> page = chat.get("/");
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
      assertThat(page.body()).contains("<title>reactive-ws chat</title>");

      HttpResponse<String> client = chat.get("/_reactive-ws/client.js");
      assertThat(client.statusCode()).isEqualTo(200);
      assertThat(client.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/javascript"));
      assertThat(client.body()).contains("export function useWS");

      HttpResponse<String> vue = chat.get("/vendor/vue.esm-browser.prod.js");
      assertThat(vue.statusCode()).isEqualTo(200);
      assertThat(vue.body()).contains("createApp");

      assertThat(chat.stop()).as("exit code after SIGTERM (128 + 15)").isEqualTo(143);
      assertThat(chat.output())
          .as("the JDK warns on stderr with lines that start with WARNING:")
          .noneMatch(line -> line.startsWith("WARNING"))
          .noneMatch(line -> line.contains("Exception"));
    }
  }
}
