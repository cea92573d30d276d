package dev.reactivews.examples.chathandler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ChatValidationTest {
  @Test
  void aNamePicksItsValidationAndNoneIsBean() {
    assertThat(ChatValidation.named("json-schema")).isEqualTo(ChatValidation.JSON_SCHEMA);
    assertThat(ChatValidation.named(" JSON-Schema ")).isEqualTo(ChatValidation.JSON_SCHEMA);
    assertThat(ChatValidation.named("bean")).isEqualTo(ChatValidation.BEAN);
    assertThat(ChatValidation.named(null)).isEqualTo(ChatValidation.BEAN);
    assertThat(ChatValidation.named("  ")).isEqualTo(ChatValidation.BEAN);
  }

  @Test
  void anUnknownNameIsRefusedWithTheChoices() {
    assertThatThrownBy(() -> ChatValidation.named("jsonschema"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown chat validation 'jsonschema': bean or json-schema");
  }
}
