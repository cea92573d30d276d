package dev.reactivews.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class JsonTest {
  private final Json json = new Json(64 * 1024, 8);

  private Json.Refusal refusalOf(String text) {
    Json.Parsed parsed = json.parseLenient(text);
    if (parsed.refused()) {
      assertThat(parsed.value().stringValue()).as("a refused text comes back as it was").isEqualTo(text);
    }
    return parsed.refusal();
  }

  @Test
  void numbersUpToJacksonsDefaultLengthAreValues() {
    String longest = "9".repeat(Json.MAX_NUMBER_CHARS);
    Json.Parsed parsed = json.parseLenient("{\"n\":" + longest + ",\"x\":-1.5e300}");
    assertThat(parsed.refused()).isFalse();
    assertThat(parsed.value().get("n").bigIntegerValue().toString()).isEqualTo(longest);
    assertThat(parsed.value().get("x").doubleValue()).isEqualTo(-1.5e300);
  }

  @Test
  void aNumberLongerThanThatIsRefusedAsTooLong() {
    assertThat(refusalOf("{\"n\":" + "9".repeat(Json.MAX_NUMBER_CHARS + 1) + "}")).isEqualTo(Json.Refusal.TOO_LONG);
    assertThat(refusalOf("[0." + "1".repeat(60_000) + "]")).isEqualTo(Json.Refusal.TOO_LONG);
    assertThat(refusalOf("9".repeat(60_000))).isEqualTo(Json.Refusal.TOO_LONG);
  }

  @Test
  void aFieldNameLongerThanTheBoundIsRefusedAsTooLong() {
    assertThat(json.parseLenient("{\"" + "k".repeat(Json.MAX_NAME_CHARS) + "\":1}").refused()).isFalse();
    assertThat(refusalOf("{\"" + "k".repeat(Json.MAX_NAME_CHARS + 1) + "\":1}")).isEqualTo(Json.Refusal.TOO_LONG);
  }

  @Test
  void aStringMayBeAsLongAsAMessage() {
    String text = "{\"s\":\"" + "x".repeat(60_000) + "\"}";
    assertThat(json.parseLenient(text).value().get("s").stringValue()).hasSize(60_000);
  }

  @Test
  void aNumberBeyondTheRangeOfADoubleIsRefusedAsOutOfRange() {
    assertThat(refusalOf("{\"n\":1e999999999}")).isEqualTo(Json.Refusal.OUT_OF_RANGE);
    assertThat(refusalOf("[-1E400]")).isEqualTo(Json.Refusal.OUT_OF_RANGE);
    assertThat(refusalOf("1e309")).isEqualTo(Json.Refusal.OUT_OF_RANGE);
    assertThat(json.parseLenient("[1e-999999999]").value().get(0).doubleValue()).isZero();
  }

  @Test
  void nestingTooDeepIsStillToldApart() {
    assertThat(refusalOf("[".repeat(9) + "]".repeat(9))).isEqualTo(Json.Refusal.TOO_DEEP);
    assertThat(json.parseLenient("[".repeat(8) + "]".repeat(8)).refused()).isFalse();
  }

  @Test
  void textThatIsNotJsonIsNoRefusal() {
    assertThat(json.parseLenient("{\"n\":").refusal()).isNull();
    assertThat(json.parseLenient("hello").value().stringValue()).isEqualTo("hello");
  }
}
