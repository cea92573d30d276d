package dev.reactivews.examples.springchat;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reactivews.WsPublisher;
import dev.reactivews.examples.chat.ChatApp;
import dev.reactivews.examples.chat.ChatHandler;
import dev.reactivews.storage.Storage;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.ResponseEntity;
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
    private static final ObjectMapper JSON = new ObjectMapper();
    private final WsPublisher publisher;

    TriggerController(WsPublisher publisher) {
      this.publisher = publisher;
    }

    @GetMapping("/api/ws/trigger")
    Map<String, Object> trigger(@RequestParam(name = "message", required = false) String message) {
      return ChatApp.trigger(publisher, message);
    }

    /** The body is read as JSON whatever its content type, as the seed's {@code readBody} does. */
    @PostMapping("/api/ws/trigger")
    ResponseEntity<Map<String, Object>> trigger(@RequestParam(name = "message", required = false) String message,
        @RequestBody(required = false) String body) {
      if (message == null && body != null && !body.isBlank()) {
        try {
          message = JSON.readValue(body, ChatApp.TriggerRequest.class).message();
        } catch (JacksonException e) {
          return ResponseEntity.badRequest().body(Map.of("error", "invalid JSON body for TriggerRequest"));
        }
      }
      return ResponseEntity.ok(ChatApp.trigger(publisher, message));
    }
  }
}
