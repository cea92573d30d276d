package dev.reactivews.examples.chathandler;

import dev.reactivews.WsPublisher;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The chat's trigger endpoint, {@code POST /api/ws/trigger} with {@code {"message": "…"}}, which
 * publishes a notification to every subscriber of {@code notifications}; both chats answer
 * through it.
 *
 * <p>It publishes only for a {@code POST} whose {@code Content-Type} is {@code application/json}:
 * a page of another site can make a visitor's browser send a GET, or a POST of a form or of
 * {@code text/plain}, without asking anyone, but a JSON POST only after a CORS preflight that this
 * server never grants. So no other site can publish through a visitor's browser.
 */
public final class ChatTrigger {
  /** The path of the trigger on both chats. */
  public static final String PATH = "/api/ws/trigger";
  /** The longest message, in characters (code points), that the trigger publishes. */
  public static final int MAX_MESSAGE_CHARACTERS = 1_000;
  /** The largest body the trigger reads: room for the longest message with every character escaped. */
  public static final int MAX_BODY_BYTES = 16_384;
  /** The methods the trigger answers, as an {@code Allow} header names them. */
  public static final String ALLOWED_METHODS = "POST";
  private static final String NOTIFICATIONS = "notifications";

  private static final Logger LOG = LoggerFactory.getLogger(ChatTrigger.class);
  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  private ChatTrigger() {}

  /**
   * The trigger's HTTP answer: the status and the JSON body, {@code {"notification",
   * "delivered"}} on success, {@code {"error"}} otherwise. A 405 goes with an {@code Allow} header
   * of {@link #ALLOWED_METHODS} where the server lets a route set one (the Spring chat's does).
   */
  public record Answer(int status, Map<String, Object> body) {}

  /**
   * Answers one request to the trigger: publishes {@code {"message", "id"}} on {@code
   * notifications} for a POST of {@code application/json} (any {@code charset} must be UTF-8)
   * whose body is an object with a non-blank string {@code message} of at most {@value
   * #MAX_MESSAGE_CHARACTERS} characters. Otherwise publishes nothing and answers 405 (another
   * method), 415 (another content type), 413 (a larger body or message) or 400 (not such an
   * object). A caller that reads the body itself need read no more than {@value
   * #MAX_BODY_BYTES} bytes and one.
   */
  public static Answer answer(WsPublisher publisher, String method, String contentType, byte[] body) {
    if (!"POST".equals(method)) {
      return refused(405, "the trigger takes POST with Content-Type: application/json");
    }
    if (!isJsonInUtf8(contentType)) {
      return refused(415, "the trigger takes Content-Type: application/json");
    }
    if (body.length > MAX_BODY_BYTES) {
      return refused(413, "the body is larger than " + MAX_BODY_BYTES + " bytes");
    }
    JsonNode request;
    try {
      request = JSON.readTree(body);
    } catch (JacksonException e) {
      return refused(400, "the body is not JSON");
    }
    JsonNode message = request == null ? null : request.get("message");
    if (message == null || !message.isString() || message.asString().isBlank()) {
      return refused(400, "the body needs a non-blank string \"message\"");
    }
    String text = message.asString();
    if (text.codePointCount(0, text.length()) > MAX_MESSAGE_CHARACTERS) {
      return refused(413, "the message is longer than " + MAX_MESSAGE_CHARACTERS + " characters");
    }
    Map<String, String> notification = Map.of("message", text, "id", UUID.randomUUID().toString());
    int delivered = publisher.publish(NOTIFICATIONS, notification);
    return new Answer(200, Map.of("notification", notification, "delivered", delivered));
  }

  private static Answer refused(int status, String error) {
    LOG.debug("trigger refused with {}: {}", status, error);
    return new Answer(status, Map.of("error", error));
  }

  /** Whether the header names {@code application/json}, with no charset or UTF-8's. */
  private static boolean isJsonInUtf8(String contentType) {
    if (contentType == null) {
      return false;
    }
    String[] parts = contentType.split(";");
    if (!parts[0].strip().equalsIgnoreCase("application/json")) {
      return false;
    }
    for (int i = 1; i < parts.length; i++) {
      String[] parameter = parts[i].split("=", 2);
      if (parameter[0].strip().equalsIgnoreCase("charset")) {
        String charset = parameter.length == 2 ? parameter[1].strip().replace("\"", "") : "";
        if (!charset.toLowerCase(Locale.ROOT).equals("utf-8")) {
          return false;
        }
      }
    }
    return true;
  }
}
