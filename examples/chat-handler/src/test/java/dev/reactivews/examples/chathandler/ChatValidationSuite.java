package dev.reactivews.examples.chathandler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivews.state.Versioned;
import dev.reactivews.testing.WsRecorder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * The chat's validation as a client sees it, through a real client, whatever serves the chat:
 * with either {@link ChatValidation}, the same bad publishes get {@code invalid_message} frames
 * with issues at the same paths, and the same lines are taken.
 */
@Timeout(60)
public abstract class ChatValidationSuite {
  /** Starts the chat on any free port, validating as it says. */
  protected abstract RunningChat startChat(ChatValidation validation);

  private static final String LONGEST_LINE = "x".repeat(2000);

  /** Each bad message, and the paths of its issues in order. */
  private static final Map<String, List<String>> REFUSED = refused();

  private static Map<String, List<String>> refused() {
    Map<String, List<String>> refused = new LinkedHashMap<>();
    refused.put(publish("{\"text\":\"   \"}"), List.of("payload.text"));
    refused.put(publish("{\"text\":\"\\t\\n\\u3000\"}"), List.of("payload.text"));
    refused.put(publish("{\"text\":\"" + LONGEST_LINE + "!\"}"), List.of("payload.text"));
    refused.put(publish("{\"text\":{\"nested\":1}}"), List.of("payload.text"));
    refused.put(publish("{}"), List.of("payload.text"));
    refused.put(publish("{\"text\":\"hi\",\"bold\":true}"), List.of("payload.bold"));
    refused.put(publish("null"), List.of("payload"));
    refused.put("{\"type\":\"publish\",\"topic\":\"chat\"}", List.of("payload"));
    refused.put("{\"type\":\"publish\",\"topic\":\"chat\",\"payload\":{\"text\":\"hi\"},\"extra\":1}", List.of("extra"));
    refused.put("{\"type\":\"shout\",\"topic\":\"news\",\"payload\":{\"text\":\"hi\"}}", List.of("topic", "type"));
    refused.put("{\"payload\":{\"text\":\"\\u3000\"}}", List.of("payload.text", "topic", "type"));
    refused.put("plain text", List.of(""));
    refused.put("[1,2]", List.of(""));
    return refused;
  }

  private static String publish(String payload) {
    return "{\"type\":\"publish\",\"topic\":\"chat\",\"payload\":" + payload + "}";
  }

  @ParameterizedTest
  @EnumSource(ChatValidation.class)
  public void aBadPublishGetsInvalidMessageWithTheIssuesOfEitherValidation(ChatValidation validation) {
    try (RunningChat chat = startChat(validation); WsRecorder client = WsRecorder.connect(chat.port(), "/_ws")) {
      REFUSED.forEach((message, paths) -> {
        JsonNode error = client.send(message).nextError();
        assertThat(error.get("code").asString()).as(message).isEqualTo("invalid_message");
        assertThat(error.get("issues").findValuesAsString("path")).as(message).containsExactlyElementsOf(paths);
        assertThat(error.get("issues").findValuesAsString("message")).as(message)
            .allSatisfy(issue -> assertThat(issue).isNotBlank());
      });
      Versioned<List<ChatHandler.ChatLine>> kept = chat.states().list(ChatHandler.CHAT, ChatHandler.ChatLine.class).read();
      assertThat(kept.value()).as("lines kept").isEmpty();
      assertThat(kept.version().number()).as("the chat's version").isZero();
      // The one answer worded by each validation itself: the chat runs the one it was given.
      assertThat(client.send("plain text").nextError().at("/issues/0/message").asString())
          .isEqualTo(validation == ChatValidation.BEAN
              ? "expected an object, got text that is not a JSON object"
              : "expected JSON the schema accepts, got text");
    }
  }

  @ParameterizedTest
  @EnumSource(ChatValidation.class)
  public void eitherValidationTakesTheSameLines(ChatValidation validation) {
    try (RunningChat chat = startChat(validation); WsRecorder client = WsRecorder.connect(chat.port(), "/_ws")) {
      client.subscribe(ChatHandler.CHAT);
      client.publish(ChatHandler.CHAT, "{\"text\":\"hi\"}");
      assertThat(ChatFrames.nextAt(client, 1).get("payload").findValuesAsString("text")).containsExactly("hi");
      client.publish(ChatHandler.CHAT, "{\"text\":\"" + LONGEST_LINE + "\"}");
      assertThat(ChatFrames.nextAt(client, 2).get("payload").findValuesAsString("text"))
          .containsExactly("hi", LONGEST_LINE);
    }
  }
}
