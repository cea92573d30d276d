package dev.reactivews.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeyCodecTest {
  @Test
  void wellFormedNamesAreTheirUtf8Bytes() {
    for (String name : List.of("", "chat", "caf\u00e9", "\ud83d\ude00 room", "a:b:c")) {
      assertThat(KeyCodec.encode(name)).isEqualTo(name.getBytes(StandardCharsets.UTF_8));
      assertThat(KeyCodec.decode(KeyCodec.encode(name))).isEqualTo(name);
    }
  }

  @Test
  void everyLoneSurrogateGetsBytesOfItsOwnAndReadsBack() {
    List<String> names = List.of("t\uD800", "t\uDC00", "t\uDBFF", "t\uDFFF", "t?", "\uDC00\uD800",
        "\uD800\uD800x", "x\uD83D", "\uDE00", "\ud83d\ude00\uD800");
    Set<String> encodings = new HashSet<>();
    for (String name : names) {
      byte[] bytes = KeyCodec.encode(name);
      assertThat(KeyCodec.decode(bytes)).isEqualTo(name);
      encodings.add(new String(bytes, StandardCharsets.ISO_8859_1));
    }
    assertThat(encodings).hasSameSizeAs(names);
    assertThat(KeyCodec.encode("t\uD800")).containsExactly('t', 0xED, 0xA0, 0x80);
  }
}
