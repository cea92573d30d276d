package dev.reactivews.examples.springchat;

import dev.reactivews.WsPublisher;
import dev.reactivews.examples.chathandler.ChatHandler;
import dev.reactivews.examples.chathandler.ChatTrigger;
import dev.reactivews.examples.chathandler.ChatValidation;
import dev.reactivews.examples.chathandler.LegacyChatHistory;
import dev.reactivews.state.WsStates;
import dev.reactivews.storage.Storage;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * nuxt-ws's chat example on Spring Boot: the chat's handler as a bean, its history the state topic
 * {@code chat}, its page from {@code public/}, the WebSocket at {@code /_ws} (see {@code
 * application.yml}) and {@code POST /api/ws/trigger}, all on the port of {@code PORT} (3000 by
 * default).
 */
@SpringBootApplication
public class SpringChatApplication {
  public static void main(String[] args) {
    SpringApplication.run(SpringChatApplication.class, args);
  }

  /**
   * The chat's handler ({@code examples/chat-handler}) on the state topic {@code chat} of {@code
   * ws.topics.states}, validating as {@code chat.validation} says ({@link ChatValidation}); and,
   * once the server runs, the move of a history an earlier release kept by hand ({@link
   * LegacyChatHistory}) into that topic.
   */
  // readme:bean
  @Bean
  ChatHandler chat(@Value("${chat.validation}") String validation) {   // bean | json-schema (CHAT_VALIDATION)
    return new ChatHandler(ChatValidation.named(validation).schema());
  }

  @Bean
  ApplicationRunner legacyChatHistory(Storage storage,   // ws.storage's driver, namespace ws.storage.namespace ("ws")
      WsStates states) {                                  // the state topics of ws.topics.states
    return arguments -> LegacyChatHistory.importInto(storage, states);
  }
  // end

  /**
   * The chat's trigger, {@link ChatTrigger}: every method reaches it, so that each refusal gets
   * the same answer as on the Netty chat, with {@code Allow: POST} on a 405.
   */
  // readme:trigger
  @RestController
  static class TriggerController {
    private final WsPublisher publisher;   // the server-wide publisher (nuxt-ws's ws:publish hook)

    TriggerController(WsPublisher publisher) {
      this.publisher = publisher;
    }

    @RequestMapping(ChatTrigger.PATH)
    ResponseEntity<Map<String, Object>> trigger(HttpServletRequest request,
        @RequestHeader(name = HttpHeaders.CONTENT_TYPE, required = false) String contentType) throws IOException {
      // One byte past the bound is enough to refuse a larger body, and no more of it is held.
      byte[] body = request.getInputStream().readNBytes(ChatTrigger.MAX_BODY_BYTES + 1);
      ChatTrigger.Answer answer = ChatTrigger.answer(publisher, request.getMethod(), contentType, body);
      ResponseEntity.BodyBuilder response = ResponseEntity.status(answer.status()).contentType(MediaType.APPLICATION_JSON);
      if (answer.status() == 405) {
        response.header(HttpHeaders.ALLOW, ChatTrigger.ALLOWED_METHODS);
      }
      return response.body(answer.body());
    }
  }
  // end
}
