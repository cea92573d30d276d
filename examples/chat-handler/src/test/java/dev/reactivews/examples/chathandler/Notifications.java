package dev.reactivews.examples.chathandler;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import tools.jackson.databind.ObjectMapper;

/** Publishes notifications through the chat's HTTP endpoint, as nuxt-ws's trigger does. */
public final class Notifications {
  private Notifications() {}

  /** Posts {@code {"message": …}} to the chat's trigger on the port; returns how many peers it reached. */
  public static int trigger(int port, String message) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + port + ChatTrigger.PATH);
    String body = new ObjectMapper().writeValueAsString(Map.of("message", message));
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> response = http.send(
          HttpRequest.newBuilder(uri)
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .header("Content-Type", "application/json")
              .build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as("trigger: %s", response.body()).isEqualTo(200);
      return new ObjectMapper().readTree(response.body()).path("delivered").asInt(-1);
    }
  }
}
