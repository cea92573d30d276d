package dev.reactivews;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reactivews.validation.BeanSchema;
import dev.reactivews.validation.Issue;
import dev.reactivews.validation.Schema;
import dev.reactivews.validation.Validation;
import dev.reactivews.validation.ValidationException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

@Timeout(30)
class WsMessagesTest {
  @Nested
  class Parse {
    @Test
    void jsonObjectBecomesItsValue() {
      JsonNode node = WsMessages.parse("{\"type\":\"publish\",\"payload\":{\"n\":1}}");
      assertThat(node.isObject()).isTrue();
      assertThat(node.get("type").stringValue()).isEqualTo("publish");
      assertThat(node.at("/payload/n").intValue()).isEqualTo(1);
    }

    @Test
    void arraysNumbersStringsAndLiteralsBecomeTheirValues() {
      assertThat(WsMessages.parse("[1, 2, 3]").size()).isEqualTo(3);
      assertThat(WsMessages.parse(" 42 ").isNumber()).isTrue();
      assertThat(WsMessages.parse("-1.5").doubleValue()).isEqualTo(-1.5);
      assertThat(WsMessages.parse("\"quoted\"").stringValue()).isEqualTo("quoted");
      assertThat(WsMessages.parse("true").booleanValue()).isTrue();
      assertThat(WsMessages.parse("null").isNull()).isTrue();
    }

    @Test
    void plainTextComesBackAsATextNode() {
      assertThat(WsMessages.parse("hello world").stringValue()).isEqualTo("hello world");
      // Starts like a JSON literal, is not one.
      assertThat(WsMessages.parse("nothing to see").stringValue()).isEqualTo("nothing to see");
      assertThat(WsMessages.parse("").stringValue()).isEmpty();
    }

    @Test
    void invalidJsonComesBackAsTheOriginalString() {
      for (String text : new String[] {"{\"a\":", "{\"a\":1} trailing", "[1,2", "{'single':1}", "12abc"}) {
        JsonNode node = WsMessages.parse(text);
        assertThat(node.isString()).as(text).isTrue();
        assertThat(node.stringValue()).isEqualTo(text);
      }
    }

    @Test
    void jsonDeeperThanTheDefaultLimitComesBackAsTheOriginalString() {
      String deep = "[".repeat(100) + "]".repeat(100);
      assertThat(WsMessages.parse(deep).stringValue()).isEqualTo(deep);
      String fits = "[".repeat(10) + "]".repeat(10);
      assertThat(WsMessages.parse(fits).isArray()).isTrue();
    }

    @Test
    void jsonLongerThanTheDefaultLimitComesBackAsTheOriginalString() {
      String longText = "\"" + "x".repeat(70 * 1024) + "\"";
      assertThat(WsMessages.parse(longText).stringValue()).isEqualTo(longText);
    }

    @Test
    void neverThrowsWhateverTheInput() {
      Random random = new Random(42);
      String alphabet = "{}[]\":,0123456789-+.eEtruefalsn \\u\t\n\u00e9\ud83d";
      for (int i = 0; i < 5_000; i++) {
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(40);
        for (int j = 0; j < length; j++) {
          text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        String input = text.toString();
        assertThatCode(() -> WsMessages.parse(input)).as(input).doesNotThrowAnyException();
      }
    }

    @Test
    void binaryMessagesAreNeverJson() {
      Message binary = Message.binary("{\"a\":1}".getBytes(StandardCharsets.UTF_8));
      assertThat(WsMessages.parse(binary).stringValue()).isEqualTo("{\"a\":1}");
      assertThat(WsMessages.parse(Message.text("{\"a\":1}")).get("a").intValue()).isEqualTo(1);
    }
  }

  record Payload(@NotBlank @Size(max = 10) String text, @Min(0) @Max(5) int priority) {}

  record ChatPublish(
      @NotNull @Pattern(regexp = "publish") String type,
      @NotBlank String topic,
      @NotNull @Valid Payload payload) {}

  private static final Schema<ChatPublish> SCHEMA = BeanSchema.of(ChatPublish.class);

  @Nested
  class Validate {
    @Test
    void validMessageBecomesTheTypedValue() {
      ChatPublish value = WsMessages.validate(SCHEMA,
          "{\"type\":\"publish\",\"topic\":\"chat\",\"payload\":{\"text\":\"hi\",\"priority\":2}}");
      assertThat(value).isEqualTo(new ChatPublish("publish", "chat", new Payload("hi", 2)));
    }

    @Test
    void everyViolationIsReportedWithItsPath() {
      String text = "{\"type\":\"subscribe\",\"topic\":\" \",\"payload\":{\"text\":\"far too long text\",\"priority\":9}}";
      assertThatThrownBy(() -> WsMessages.validate(SCHEMA, text))
          .isInstanceOfSatisfying(ValidationException.class, e -> {
            assertThat(e.issues()).extracting(Issue::path)
                .containsExactly("payload.priority", "payload.text", "topic", "type");
            assertThat(e.issues()).allSatisfy(issue -> assertThat(issue.message()).isNotBlank());
            assertThat(e.getMessage()).contains("payload.priority: ", "type: ");
            assertThat(e.getStackTrace()).as("a client's mistake, not a bug").isEmpty();
          });
    }

    @Test
    void safeValidateReturnsTheValueOrEveryIssue() {
      Validation<ChatPublish> valid = WsMessages.safeValidate(SCHEMA,
          Message.text("{\"type\":\"publish\",\"topic\":\"chat\",\"payload\":{\"text\":\"hi\",\"priority\":0}}"));
      assertThat(valid).isInstanceOf(Validation.Valid.class);
      assertThat(valid.orThrow().topic()).isEqualTo("chat");

      Validation<ChatPublish> invalid = WsMessages.safeValidate(SCHEMA,
          "{\"type\":\"publish\",\"topic\":\"\",\"payload\":null}");
      assertThat(issues(invalid)).extracting(Issue::path).containsExactly("payload", "topic");
    }

    @Test
    void inputThatIsNotAnObjectIsOneIssueOnTheWholeValue() {
      for (String text : new String[] {"plain text", "[1,2]", "42", "{\"broken\":"}) {
        Validation<ChatPublish> result = WsMessages.safeValidate(SCHEMA, text);
        List<Issue> issues = issues(result);
        assertThat(issues).as(text).hasSize(1);
        assertThat(issues.get(0).path()).isEmpty();
        assertThat(issues.get(0).message()).startsWith("expected an object");
      }
    }

    @Test
    void wrongTypesAndUnknownPropertiesAreIssuesAtTheirPath() {
      Validation<ChatPublish> wrongType = WsMessages.safeValidate(SCHEMA,
          "{\"type\":\"publish\",\"topic\":\"chat\",\"payload\":{\"text\":\"hi\",\"priority\":\"high\"}}");
      assertThat(issues(wrongType)).extracting(Issue::path).containsExactly("payload.priority");

      Validation<ChatPublish> unknown = WsMessages.safeValidate(SCHEMA,
          "{\"type\":\"publish\",\"topic\":\"chat\",\"extra\":1,\"payload\":{\"text\":\"hi\",\"priority\":1}}");
      assertThat(issues(unknown)).extracting(Issue::path).containsExactly("extra");

      Validation<ChatPublish> nullPrimitive = WsMessages.safeValidate(SCHEMA,
          "{\"type\":\"publish\",\"topic\":\"chat\",\"payload\":{\"text\":\"hi\",\"priority\":null}}");
      assertThat(issues(nullPrimitive)).extracting(Issue::path).containsExactly("payload.priority");
    }

    @Test
    void aMessageTooDeepToParseIsNotAnObject() {
      String deep = "{\"a\":".repeat(40) + "1" + "}".repeat(40);
      assertThat(issues(WsMessages.safeValidate(SCHEMA, deep))).hasSize(1);
    }

    record Amounts(BigDecimal decimal, BigInteger integer, long whole, double real) {}

    private static final Schema<Amounts> AMOUNTS = BeanSchema.of(Amounts.class);

    private static String amounts(String decimal, String integer, String whole, String real) {
      return "{\"decimal\":" + decimal + ",\"integer\":" + integer + ",\"whole\":" + whole + ",\"real\":" + real + "}";
    }

    @Test
    @Timeout(5)
    void theLongestNumbersAMessageMayHoldBindQuicklyOrAreIssues() {
      String longest = "9".repeat(1000);
      Validation<Amounts> big = WsMessages.safeValidate(AMOUNTS, amounts(longest, longest, "1", "1"));
      assertThat(big).isInstanceOf(Validation.Valid.class);
      Amounts bound = big.orThrow();
      assertThat(bound.decimal().precision()).isEqualTo(1000);
      assertThat(bound.integer().toString()).isEqualTo(longest);

      Validation<Amounts> tooBigForADouble = WsMessages.safeValidate(AMOUNTS, amounts("1", "1", "1", longest));
      assertThat(issues(tooBigForADouble)).extracting(Issue::path).containsExactly("real");

      Validation<Amounts> tooBigForALong = WsMessages.safeValidate(AMOUNTS, amounts("1", "1", longest, "1"));
      assertThat(issues(tooBigForALong)).extracting(Issue::path).containsExactly("whole");

      Validation<Amounts> largeDouble = WsMessages.safeValidate(AMOUNTS, amounts("1e308", "1e308", "1", "1e308"));
      assertThat(largeDouble.orThrow().integer().toString()).hasSize(309);
    }

    @Test
    @Timeout(5)
    void numbersPastTheParseBoundsAreNeverBound() {
      for (String number : List.of("1e999999999", "-1e999999999", "9".repeat(1001), "0." + "1".repeat(60_000))) {
        assertThat(issues(WsMessages.safeValidate(AMOUNTS, amounts(number, number, "1", number))))
            .singleElement().satisfies(issue -> assertThat(issue.message()).startsWith("expected an object"));
      }
    }

    private static List<Issue> issues(Validation<?> result) {
      assertThat(result).isInstanceOf(Validation.Invalid.class);
      return ((Validation.Invalid<?>) result).issues();
    }
  }
}
