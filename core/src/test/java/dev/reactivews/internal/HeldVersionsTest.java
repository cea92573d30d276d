package dev.reactivews.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivews.state.StateVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** How a delta client's versions are read: a frame's {@code epoch} and {@code v}, and the {@code rws.since} entries. */
class HeldVersionsTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static HeldVersions.Held ofFrame(String frame) {
    JsonNode node = JSON.readTree(frame);
    return HeldVersions.ofFrame(node);
  }

  @Test
  void aFrameHoldsAVersionWithBothMembersAndNothingWithNeither() {
    assertThat(ofFrame("{\"topic\":\"chat\",\"epoch\":\"1733212800000\",\"v\":41}"))
        .isEqualTo(new HeldVersions.Held(new StateVersion(1733212800000L, 41), null));
    assertThat(ofFrame("{\"topic\":\"chat\",\"epoch\":\"0\",\"v\":0}"))
        .isEqualTo(new HeldVersions.Held(StateVersion.NONE, null));
    assertThat(ofFrame("{\"topic\":\"chat\"}")).isEqualTo(new HeldVersions.Held(null, null));
  }

  @Test
  void membersThatMakeNoVersionSayWhy() {
    assertThat(ofFrame("{\"epoch\":\"5\"}").problem()).contains("'epoch' and 'v' go together");
    assertThat(ofFrame("{\"v\":5}").problem()).contains("'epoch' and 'v' go together");
    for (String epoch : List.of("5", "\"\"", "\"-5\"", "\"5.0\"", "\"99999999999999999999\"", "null")) {
      assertThat(ofFrame("{\"epoch\":" + epoch + ",\"v\":1}").problem()).as(epoch)
          .contains("'epoch' must be a string of decimal digits");
    }
    for (String number : List.of("-1", "1.5", "\"1\"", "1e30", "null")) {
      assertThat(ofFrame("{\"epoch\":\"5\",\"v\":" + number + "}").problem()).as(number)
          .contains("'v' must be a whole number of 0 or more");
    }
  }

  @Test
  void rwsSinceSplitsAtTheFirstTwoDotsKeepsTheFirstEntryOfATopicAndRefusesTheMalformed() {
    List<String> refused = new ArrayList<>();
    Map<String, StateVersion> held = HeldVersions.ofSince(
        List.of("7.3.room.a.b", "0.0.presence", "9.9.presence", "x.presence", "12.presence", "1.2.", "1..chat"),
        refused::add);
    assertThat(held).containsExactly(
        Map.entry("room.a.b", new StateVersion(7, 3)), Map.entry("presence", StateVersion.NONE));
    assertThat(refused).hasSize(4).allMatch(reason -> reason.contains("is not <epoch>.<v>.<topic>"));
    assertThat(HeldVersions.ofSince(null, refused::add)).isEmpty();
  }
}
