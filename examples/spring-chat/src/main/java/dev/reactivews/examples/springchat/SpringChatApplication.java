package dev.reactivews.examples.springchat;

import dev.reactivews.WsPublisher;
import dev.reactivews.examples.chat.ChatApp;
import dev.reactivews.examples.chat.ChatHandler;
import dev.reactivews.storage.Storage;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Seed 003 on Spring Boot: the chat's handler as a bean, its page from {@code public/}, the
 * WebSocket at {@code /_ws} (see {@code application.yml}) and {@code /api/ws/trigger}, all on
 * the port of {@code PORT} (3000 by default).
 */
@SpringBootApplication
public class SpringChatApplication {
  public static void main(String[] args) {
    SpringApplication.run(SpringChatApplication.class, args);
  }

  /** The chat of {@code examples/chat}, on the storage of {@code ws.storage}. */
  @Bean
  ChatHandler chat(Storage storage) {
    return new ChatHandler(storage);
  }

  /** Publishes a notification from plain HTTP, as the seed's {@code ws:publish} hook does. */
  @RestController
  static class TriggerController {
    private final WsPublisher publisher;

    TriggerController(WsPublisher publisher) {
      this.publisher = publisher;
    }

    @GetMapping("/api/ws/trigger")
    Map<String, Object> trigger(@RequestParam(name = "message", required = false) String message) {
      return ChatApp.trigger(publisher, message);
    }

    @PostMapping("/api/ws/trigger")
    Map<String, Object> trigger(@RequestParam(name = "message", required = false) String message,
        @RequestBody(required = false) ChatApp.TriggerRequest body) {
      return ChatApp.trigger(publisher, message != null ? message : body == null ? null : body.message());
    }
  }
}
