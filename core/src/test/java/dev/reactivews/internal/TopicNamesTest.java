package dev.reactivews.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TopicNamesTest {
  @Test
  void oneTo256BytesOfUtf8() {
    assertThat(TopicNames.isValid("chat")).isTrue();
    assertThat(TopicNames.isValid("t".repeat(256))).isTrue();
    assertThat(TopicNames.isValid("")).isFalse();
    assertThat(TopicNames.isValid("t".repeat(257))).isFalse();
    assertThat(TopicNames.isValid("é".repeat(128))).isTrue();
    assertThat(TopicNames.isValid("é".repeat(129))).isFalse();
    assertThat(TopicNames.isValid("€".repeat(85) + "t")).isTrue();
    assertThat(TopicNames.isValid("€".repeat(86))).isFalse();
    assertThat(TopicNames.isValid("😀".repeat(64))).isTrue();
    assertThat(TopicNames.isValid("😀".repeat(64) + "t")).isFalse();
  }

  @Test
  void noControlCharactersNorLoneSurrogates() {
    assertThat(TopicNames.isValid("chat\nINFO forged")).isFalse();
    assertThat(TopicNames.isValid("a\u0000b")).isFalse();
    assertThat(TopicNames.isValid("a\u007fb")).isFalse();
    assertThat(TopicNames.isValid("a\u0085b")).isFalse();
    assertThat(TopicNames.isValid("a\ud800")).isFalse();
    assertThat(TopicNames.isValid("\udc00a")).isFalse();
    assertThat(TopicNames.isValid("a\udc00\ud800b")).isFalse();
    assertThat(TopicNames.isValid("room 1/ünïcode 😀")).isTrue();
  }
}
