package dev.reactivews.examples.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/** Publishes notifications through the chat's HTTP endpoint, as the seed's trigger does. */
public final class Notifications {
  private Notifications() {}

  /** Posts {@code /api/ws/trigger?message=…} to the chat on the port; returns how many peers it reached. */
  public static int trigger(int port, String message) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + port + "/api/ws/trigger?message="
        + URLEncoder.encode(message, StandardCharsets.UTF_8));
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> response = http.send(
          HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as("trigger: %s", response.body()).isEqualTo(200);
      return new ObjectMapper().readTree(response.body()).path("delivered").asInt(-1);
    }
  }
}
