package dev.reactivews.examples.chathandler;

import dev.reactivews.examples.chathandler.ChatHandler.ChatPublish;
import dev.reactivews.validation.BeanSchema;
import dev.reactivews.validation.JsonSchema;
import dev.reactivews.validation.Schema;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How the chat validates a publish, picked by name ({@code CHAT_VALIDATION}, Spring's {@code
 * chat.validation}). Both take the same lines (but for the longest: {@code maxLength} counts code
 * points, {@code @Size} UTF-16 units) and refuse a bad one with issues at the same paths; where a
 * message breaks several rules, Bean Validation may name only the first that Jackson cannot bind
 * (an unknown property, an object for a string), JSON Schema names every one.
 */
public enum ChatValidation {
  /** {@link ChatPublish}'s Bean Validation constraints. */
  BEAN("bean") {
    @Override
    public Schema<ChatPublish> schema() {
      return BeanSchema.of(ChatPublish.class);
    }
  },
  /** The JSON Schema a front end can share, {@value #JSON_SCHEMA_RESOURCE} on the class path. */
  JSON_SCHEMA("json-schema") {
    @Override
    public Schema<ChatPublish> schema() {
      return JsonSchema.ofResource(JSON_SCHEMA_RESOURCE).bindTo(ChatPublish.class);
    }
  };

  /** The class-path resource of the chat's JSON Schema. */
  public static final String JSON_SCHEMA_RESOURCE = "schemas/chat-publish.schema.json";

  private final String choice;

  ChatValidation(String choice) {
    this.choice = choice;
  }

  /** The name that picks it: {@code bean} or {@code json-schema}. */
  public String choice() {
    return choice;
  }

  /** A schema for a publish, made anew. */
  public abstract Schema<ChatPublish> schema();

  /**
   * The validation of that name, case and surrounding blanks aside; {@link #BEAN} for none (null
   * or blank). Throws {@link IllegalArgumentException} naming the choices for any other.
   */
  public static ChatValidation named(String name) {
    if (name == null || name.isBlank()) {
      return BEAN;
    }
    String wanted = name.trim().toLowerCase(Locale.ROOT);
    return Arrays.stream(values())
        .filter(validation -> validation.choice.equals(wanted))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown chat validation '" + name.trim() + "': "
            + Arrays.stream(values()).map(ChatValidation::choice).collect(Collectors.joining(" or "))));
  }
}
