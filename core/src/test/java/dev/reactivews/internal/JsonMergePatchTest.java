package dev.reactivews.internal;

import static dev.reactivews.internal.JsonText.json;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

@Timeout(30)
class JsonMergePatchTest {
  /** The examples of RFC 7386, appendix A: target, patch, result (JSON with ' for "). */
  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "{'a':'b'}              | {'a':'c'}            | {'a':'c'}",
      "{'a':'b'}              | {'b':'c'}            | {'a':'b','b':'c'}",
      "{'a':'b'}              | {'a':null}           | {}",
      "{'a':'b','b':'c'}      | {'a':null}           | {'b':'c'}",
      "{'a':['b']}            | {'a':'c'}            | {'a':'c'}",
      "{'a':'c'}              | {'a':['b']}          | {'a':['b']}",
      "{'a':{'b':'c'}}        | {'a':{'b':'d','c':null}} | {'a':{'b':'d'}}",
      "{'a':[{'b':'c'}]}      | {'a':[1]}            | {'a':[1]}",
      "['a','b']              | ['c','d']            | ['c','d']",
      "{'a':'b'}              | ['c']                | ['c']",
      "{'a':'foo'}            | null                 | null",
      "{'a':'foo'}            | 'bar'                | 'bar'",
      "{'e':null}             | {'a':1}              | {'e':null,'a':1}",
      "[1,2]                  | {'a':'b','c':null}   | {'a':'b'}",
      "{}                     | {'a':{'bb':{'ccc':null}}} | {'a':{'bb':{}}}",
  })
  void theExamplesOfTheRfc(String target, String patch, String result) {
    JsonNode document = json(target);
    JsonNode before = document.deepCopy();

    assertThat(JsonMergePatch.apply(document, json(patch))).isEqualTo(json(result));
    assertThat(document).as("the target given").isEqualTo(before);
  }

  @Test
  void membersThePatchDoesNotReachAreShared() {
    JsonNode document = json("{'a':{'x':[1]},'b':{'y':[2]}}");
    JsonNode result = JsonMergePatch.apply(document, json("{'a':{'z':3}}"));

    assertThat(result).isEqualTo(json("{'a':{'x':[1],'z':3},'b':{'y':[2]}}"));
    assertThat(result.get("a").get("x")).isSameAs(document.get("a").get("x"));
    assertThat(result.get("b")).isSameAs(document.get("b"));
  }
}
