package dev.reactivews.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

class StateTopicTest {
  @Test
  void aNameEndingInAStarDeclaresEveryTopicItPrefixes() {
    StateTopic rooms = StateTopic.map("room:*");

    assertThat(rooms.matches("room:1")).isTrue();
    assertThat(rooms.matches("room:")).isTrue();
    assertThat(rooms.matches("room")).isFalse();
    assertThat(StateTopic.list("chat").matches("chat")).isTrue();
    assertThat(StateTopic.list("chat").matches("chat:1")).isFalse();
    assertThatThrownBy(() -> StateTopic.list("a*b")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("may only end");
    assertThatThrownBy(() -> StateTopic.list(" ")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void eachKindStartsFromItsInitialValue() {
    assertThat(StateTopic.list("l").initial()).isEqualTo(JsonNodeFactory.instance.arrayNode());
    assertThat(StateTopic.map("m").initial()).isEqualTo(JsonNodeFactory.instance.objectNode());
    assertThat(StateTopic.value("v").initial().isNull()).isTrue();
    assertThat(StateTopic.value("v").initial(Map.of("n", 1)).initial())
        .isEqualTo(JsonNodeFactory.instance.objectNode().put("n", 1));
  }

  @Test
  void aSettingReturnsANewDeclarationAndLeavesTheOldAsItWas() {
    StateTopic plain = StateTopic.list("chat");
    StateTopic capped = plain.maxItems(500).logSize(16).compress(true);

    assertThat(plain).isEqualTo(StateTopic.list("chat")).isNotEqualTo(capped);
    assertThat(plain.maxItems()).isZero();
    assertThat(plain.logSize()).isEqualTo(StateTopic.DEFAULT_LOG_SIZE);
    assertThat(capped).extracting(StateTopic::maxItems, StateTopic::logSize, StateTopic::compress)
        .containsExactly(500, 16, true);

    ObjectNode initial = JsonNodeFactory.instance.objectNode().put("n", 1);
    StateTopic settings = StateTopic.value("settings").initial(initial);
    initial.put("n", 2);
    ((ObjectNode) settings.initial()).put("n", 3);
    assertThat(settings.initial().get("n").asInt()).as("neither the caller's node nor a copy handed out").isEqualTo(1);
  }

  @Test
  void aSettingOfAnotherKindIsRefused() {
    assertThatThrownBy(() -> StateTopic.map("board").maxItems(5)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxItems is for a list");
    assertThatThrownBy(() -> StateTopic.list("chat").initial(1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("initial is for a value");
    assertThatThrownBy(() -> StateTopic.list("chat").maxItems(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> StateTopic.list("chat").logSize(-1)).isInstanceOf(IllegalArgumentException.class);
  }
}
