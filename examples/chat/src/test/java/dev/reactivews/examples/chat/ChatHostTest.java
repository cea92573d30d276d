package dev.reactivews.examples.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reactivews.netty.ReactiveWs;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code HOST}: the address the chat listens on. */
@Timeout(60)
class ChatHostTest {
  /** A loopback address other than 127.0.0.1: Linux answers on all of 127.0.0.0/8. */
  private static final String OTHER_LOOPBACK = "127.0.0.2";

  @Test
  void itListensOnTheAddressOfHostOnly() throws Exception {
    ReactiveWs chat = ChatApp.start(0, Map.of("HOST", OTHER_LOOPBACK));
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> config = http.send(
          HttpRequest.newBuilder(URI.create("http://" + OTHER_LOOPBACK + ":" + chat.port() + ReactiveWs.CONFIG_PATH)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(config.statusCode()).isEqualTo(200);
      assertThatThrownBy(() -> new Socket("127.0.0.1", chat.port()).close()).isInstanceOf(ConnectException.class);
    } finally {
      chat.stop();
    }
  }

  @Test
  void withoutHostItListensOnEveryInterface() throws Exception {
    ReactiveWs chat = ChatApp.start(0, Map.of());
    try (Socket first = new Socket("127.0.0.1", chat.port()); Socket second = new Socket(OTHER_LOOPBACK, chat.port())) {
      assertThat(first.isConnected()).isTrue();
      assertThat(second.isConnected()).isTrue();
    } finally {
      chat.stop();
    }
  }
}
