package dev.reactivews.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reactivews.WsMessages;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

@Timeout(30)
class JsonSchemaTest {
  private static final String PUBLISH = """
      {
        "type": "object",
        "required": ["type", "topic", "payload"],
        "additionalProperties": false,
        "properties": {
          "type": { "const": "publish" },
          "topic": { "type": "string", "minLength": 1 },
          "payload": {
            "type": "object",
            "required": ["text"],
            "properties": {
              "text": { "type": "string", "maxLength": 10 },
              "tags": { "type": "array", "items": { "type": "string" } }
            }
          }
        }
      }""";

  private static final JsonSchema<JsonNode> SCHEMA = JsonSchema.of(PUBLISH);

  record Payload(String text, List<String> tags) {}

  record Publish(String type, String topic, Payload payload) {}

  @Test
  void aValidMessageComesBackAsItsValue() {
    JsonNode value = WsMessages.validate(SCHEMA,
        "{\"type\":\"publish\",\"topic\":\"chat\",\"payload\":{\"text\":\"hi\",\"tags\":[\"a\"]}}");
    assertThat(value.at("/payload/text").stringValue()).isEqualTo("hi");
    assertThat(value.at("/payload/tags/0").stringValue()).isEqualTo("a");
  }

  @Test
  void aSchemaBoundToATypeGivesTheTypedValue() {
    Publish publish = WsMessages.validate(SCHEMA.bindTo(Publish.class),
        "{\"type\":\"publish\",\"topic\":\"chat\",\"payload\":{\"text\":\"hi\",\"tags\":[\"a\",\"b\"]}}");
    assertThat(publish).isEqualTo(new Publish("publish", "chat", new Payload("hi", List.of("a", "b"))));
  }

  @Test
  void everyViolationIsAnIssueAtItsPathInTheStyleOfBeanSchema() {
    String text = "{\"type\":\"subscribe\",\"topic\":\"\",\"extra\":1,"
        + "\"payload\":{\"text\":\"far too long text\",\"tags\":[\"ok\",7,\"ok\",false]}}";
    assertThatThrownBy(() -> WsMessages.validate(SCHEMA, text))
        .isInstanceOfSatisfying(ValidationException.class, e -> {
          assertThat(e.issues()).extracting(Issue::path).containsExactly(
              "extra", "payload.tags[1]", "payload.tags[3]", "payload.text", "topic", "type");
          assertThat(e.issues()).allSatisfy(issue -> assertThat(issue.message()).isNotBlank());
          assertThat(e.getMessage()).contains("payload.text: must be at most 10 characters long");
        });
  }

  @Test
  void aMissingPropertyIsAnIssueAtThatProperty() {
    Validation<JsonNode> result = SCHEMA.validate(WsMessages.parse("{\"type\":\"publish\",\"payload\":{}}"));
    assertThat(issues(result)).extracting(Issue::path).containsExactly("payload.text", "topic");
    assertThat(issues(result).getFirst().message()).isEqualTo("required property 'text' not found");
  }

  @Test
  void aSchemaMayWordTheMessageOfAKeyword() {
    JsonSchema<JsonNode> worded = JsonSchema.of("{\"properties\":{\"text\":{\"type\":\"string\",\"pattern\":\"\\\\S\","
        + "\"maxLength\":3,\"errorMessage\":{\"pattern\":\"must not be blank\"}}}}");
    assertThat(issues(WsMessages.safeValidate(worded, "{\"text\":\"    \"}"))).containsExactly(
        new Issue("text", "must not be blank"), new Issue("text", "must be at most 3 characters long"));
  }

  @Test
  void textThatIsNotJsonIsOneIssueOnTheWholeValue() {
    for (String text : List.of("plain text", "{\"broken\":", "")) {
      assertThat(issues(SCHEMA.validate(WsMessages.parse(text)))).as(text)
          .containsExactly(new Issue("", "expected JSON the schema accepts, got text"));
    }
  }

  @Test
  void jsonOfAnotherTypeIsAnIssueOnTheWholeValue() {
    assertThat(issues(WsMessages.safeValidate(SCHEMA, "[1,2]")))
        .containsExactly(new Issue("", "array found, object expected"));
  }

  @Test
  void aValueTheBoundTypeCannotHoldIsAnIssueAtItsPath() {
    record Counter(int count) {}
    JsonSchema<Counter> counter = JsonSchema.of("{\"type\":\"object\"}").bindTo(Counter.class);
    assertThat(issues(WsMessages.safeValidate(counter, "{\"count\":\"many\"}")))
        .singleElement().satisfies(issue -> assertThat(issue.path()).isEqualTo("count"));
    // What the schema allows and the type does not hold is left out of the value.
    assertThat(WsMessages.validate(counter, "{\"count\":3,\"note\":\"kept out\"}")).isEqualTo(new Counter(3));
  }

  @Test
  void theDialectIs2020_12UnlessTheSchemaNamesAnother() {
    String tuple = "\"type\":\"array\",\"prefixItems\":[{\"type\":\"integer\"}]";
    assertThat(issues(WsMessages.safeValidate(JsonSchema.of("{" + tuple + "}"), "[\"one\"]")))
        .extracting(Issue::path).containsExactly("[0]");
    // Draft 7 has no prefixItems, and takes an array of items as the tuple instead.
    String draft7 = "\"$schema\":\"http://json-schema.org/draft-07/schema#\",";
    assertThat(WsMessages.safeValidate(JsonSchema.of("{" + draft7 + tuple + "}"), "[\"one\"]"))
        .isInstanceOf(Validation.Valid.class);
    assertThat(issues(WsMessages.safeValidate(
        JsonSchema.of("{" + draft7 + "\"type\":\"array\",\"items\":[{\"type\":\"integer\"}]}"), "[\"one\"]")))
        .extracting(Issue::path).containsExactly("[0]");
  }

  @Test
  void aClassPathSchemaLoadsTheSchemasItRefersToBesideIt() {
    JsonSchema<JsonNode> order = JsonSchema.ofResource("schemas/order.schema.json");
    assertThat(WsMessages.safeValidate(order, "{\"id\":\"o1\",\"lines\":[{\"sku\":\"ABC-1\",\"quantity\":2}]}"))
        .isInstanceOf(Validation.Valid.class);
    assertThat(issues(WsMessages.safeValidate(order,
        "{\"id\":\"o1\",\"lines\":[{\"sku\":\"ABC-1\",\"quantity\":2},{\"sku\":\"abc\",\"quantity\":0},{}]}")))
        .extracting(Issue::path)
        .containsExactly("lines[1].quantity", "lines[1].sku", "lines[2].quantity", "lines[2].sku");
  }

  @Test
  void aMissingResourceOrATextThatIsNoSchemaIsRefusedWhenTheSchemaIsMade() {
    assertThatThrownBy(() -> JsonSchema.ofResource("schemas/missing.schema.json"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("schemas/missing.schema.json");
    assertThatThrownBy(() -> JsonSchema.of("{\"type\":"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("not a usable JSON Schema");
  }

  /**
   * A schema naming a schema on a server, by {@code $ref} (even in a branch few messages reach) or
   * by {@code $schema}, is refused when it is made, and the server never saw a connection. It
   * closes each one it accepts, after counting it: a fetch would have failed at once, after the
   * count, and before the schema was refused.
   */
  @Test
  void aSchemaOnTheNetworkIsRefusedAndNeverFetched() throws Exception {
    AtomicInteger connections = new AtomicInteger();
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor = Thread.ofVirtual().start(() -> {
        while (!server.isClosed()) {
          try (Socket ignored = server.accept()) {
            connections.incrementAndGet();
          } catch (IOException closed) {
            return;
          }
        }
      });
      String url = "http://127.0.0.1:" + server.getLocalPort() + "/schema.json";
      List<String> schemas = List.of(
          "{\"$ref\":\"" + url + "\"}",
          "{\"anyOf\":[{\"type\":\"string\"},{\"properties\":{\"deep\":{\"$ref\":\"" + url + "#/$defs/x\"}}}]}",
          "{\"$schema\":\"" + url + "\",\"type\":\"object\"}",
          "{\"$id\":\"" + url + "\",\"properties\":{\"a\":{\"$ref\":\"other.json\"}}}");
      for (String schema : schemas) {
        assertThatThrownBy(() -> JsonSchema.of(schema)).as(schema)
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("127.0.0.1:" + server.getLocalPort());
      }
      assertThat(connections).as("connections to the schemas' server").hasValue(0);
      server.close();
      acceptor.join();
    }
  }

  @Test
  void aSchemaInAFileIsRefused() {
    assertThatThrownBy(() -> JsonSchema.of("{\"$ref\":\"file:///etc/hostname\"}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("file:///etc/hostname");
  }

  private static List<Issue> issues(Validation<?> result) {
    assertThat(result).isInstanceOf(Validation.Invalid.class);
    return ((Validation.Invalid<?>) result).issues();
  }
}
