package dev.reactivews.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogTextTest {
  @Test
  void aNewlineCannotStartALineOfItsOwn() {
    assertThat(LogText.escape("chat\n12:00 INFO admin logged in")).isEqualTo("chat\\u000a12:00 INFO admin logged in");
    assertThat(LogText.escape("a\rb\u2028c\u0000")).isEqualTo("a\\u000db\\u2028c\\u0000");
  }

  @Test
  void loneSurrogatesAreEscapedAndPairsKept() {
    assertThat(LogText.escape("x\ud800y")).isEqualTo("x\\ud800y");
    assertThat(LogText.escape("\udc00")).isEqualTo("\\udc00");
    assertThat(LogText.escape("😀")).isEqualTo("😀");
  }

  @Test
  void longValuesAreCutWithACount() {
    String escaped = LogText.escape("x".repeat(LogText.MAX_CHARS + 50));
    assertThat(escaped).isEqualTo("x".repeat(LogText.MAX_CHARS) + "…(50 more chars)");
  }

  @Test
  void plainTextAndNullPassAsTheyAre() {
    assertThat(LogText.escape("chat")).isSameAs("chat");
    assertThat(LogText.escape(null)).isEqualTo("null");
  }
}
