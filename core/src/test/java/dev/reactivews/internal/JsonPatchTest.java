package dev.reactivews.internal;

import static dev.reactivews.internal.JsonText.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/** What the conformance suite does not check: sharing, atomicity, numbers, messages, pointers. */
@Timeout(30)
class JsonPatchTest {
  @Test
  void anAppendCopiesOnlyTheContainersOnItsPathAndSharesEveryOtherNode() {
    JsonNode document = json("{'chat':[{'text':'a'},{'text':'b'}],'session':{'users':2}}");
    JsonNode result = JsonPatch.apply(document, json("[{'op':'add','path':'/chat/-','value':{'text':'c'}}]"));

    assertThat(result).isEqualTo(json("{'chat':[{'text':'a'},{'text':'b'},{'text':'c'}],'session':{'users':2}}"));
    assertThat(result).isNotSameAs(document);
    assertThat(result.get("chat")).isNotSameAs(document.get("chat"));
    assertThat(result.get("chat").get(0)).isSameAs(document.get("chat").get(0));
    assertThat(result.get("chat").get(1)).isSameAs(document.get("chat").get(1));
    assertThat(result.get("session")).isSameAs(document.get("session"));
    assertThat(document).isEqualTo(json("{'chat':[{'text':'a'},{'text':'b'}],'session':{'users':2}}"));
  }

  @Test
  void aPatchThatFailsPartWayChangesNothingAndSaysWhichOperationFailed() {
    JsonNode document = json("{'list':[1,2],'name':'x'}");
    JsonNode before = document.deepCopy();
    JsonNode patch = json("[{'op':'add','path':'/list/-','value':3},{'op':'remove','path':'/name'},"
        + "{'op':'replace','path':'/list/5','value':0}]");

    assertThatThrownBy(() -> JsonPatch.apply(document, patch))
        .isInstanceOf(JsonPatchException.class)
        .hasMessage("operation 2 (replace /list/5): index 5 is past the end of the array at /list");
    assertThat(document).isEqualTo(before);
  }

  @Test
  void laterOperationsChangeWhatEarlierOnesCopiedWithoutTouchingTheDocument() {
    JsonNode document = json("{'a':{'b':[1]}}");
    JsonNode result = JsonPatch.apply(document, json("[{'op':'add','path':'/a/b/-','value':2},"
        + "{'op':'add','path':'/a/b/0','value':0},{'op':'add','path':'/a/c','value':true}]"));

    assertThat(result).isEqualTo(json("{'a':{'b':[0,1,2],'c':true}}"));
    assertThat(document).isEqualTo(json("{'a':{'b':[1]}}"));
  }

  @Test
  void aCopiedValueChangedLaterChangesAtOnePlaceOnly() {
    JsonNode result = JsonPatch.apply(json("{'a':{'x':1}}"), json("[{'op':'add','path':'/a/y','value':2},"
        + "{'op':'copy','from':'/a','path':'/b'},{'op':'add','path':'/b/z','value':3}]"));

    assertThat(result).isEqualTo(json("{'a':{'x':1,'y':2},'b':{'x':1,'y':2,'z':3}}"));
  }

  @Test
  void testComparesNumbersByValue() {
    JsonNode document = json("{'n':1,'list':[2.50]}");

    assertThat(JsonPatch.apply(document, json("[{'op':'test','path':'/n','value':1.0},"
        + "{'op':'test','path':'/list','value':[2.5]}]"))).isSameAs(document);
    assertThatThrownBy(() -> JsonPatch.apply(document, json("[{'op':'test','path':'/n','value':'1'}]")))
        .hasMessage("operation 0 (test /n): the value is 1, not \"1\"");
  }

  @Test
  void pointersUnescapeTildeAndSlash() {
    JsonNode result = JsonPatch.apply(json("{}"), json("[{'op':'add','path':'/a~1b~0c','value':1}]"));

    assertThat(result).isEqualTo(json("{'a/b~c':1}"));
    assertThat(JsonPatch.pointer("", "a/b~c")).isEqualTo("/a~1b~0c");
    assertThatThrownBy(() -> JsonPatch.apply(json("{}"), json("[{'op':'add','path':'/a~2','value':1}]")))
        .hasMessage("operation 0 (add /a~2): the pointer '/a~2' has a '~' not followed by 0 or 1");
    assertThatThrownBy(() -> JsonPatch.apply(json("{}"), json("[{'op':'add','path':'a','value':1}]")))
        .hasMessage("operation 0 (add a): the pointer 'a' does not start with '/'");
  }

  @Test
  void arrayIndexesHaveNoLeadingZeroAndDashOnlyAppends() {
    JsonNode document = json("[0,1]");

    assertThatThrownBy(() -> JsonPatch.apply(document, json("[{'op':'replace','path':'/01','value':9}]")))
        .hasMessage("operation 0 (replace /01): '01' at the document is not an array index");
    assertThatThrownBy(() -> JsonPatch.apply(document, json("[{'op':'remove','path':'/-'}]")))
        .hasMessage("operation 0 (remove /-): '-' at the document is not an array index");
    assertThatThrownBy(() -> JsonPatch.apply(document, json("[{'op':'add','path':'/99999999999','value':9}]")))
        .isInstanceOf(JsonPatchException.class);
    assertThat(JsonPatch.apply(json("{}"), json("[{'op':'add','path':'/-','value':9}]")))
        .as("on an object, '-' is a member's name").isEqualTo(json("{'-':9}"));
  }

  @Test
  void aValueCannotMoveIntoItselfButMayStayWhereItIs() {
    JsonNode document = json("{'a':{'b':1}}");

    assertThatThrownBy(() -> JsonPatch.apply(document, json("[{'op':'move','from':'/a','path':'/a/c'}]")))
        .hasMessage("operation 0 (move /a/c): a value cannot be moved into itself");
    assertThat(JsonPatch.apply(document, json("[{'op':'move','from':'/a','path':'/a'}]"))).isEqualTo(document);
  }

  @Test
  void thePatchMustBeAnArrayOfOperations() {
    assertThatThrownBy(() -> JsonPatch.apply(json("{}"), json("{'op':'add'}")))
        .hasMessage("a JSON Patch is an array of operations, got an object");
    assertThatThrownBy(() -> JsonPatch.apply(json("{}"), json("[1]")))
        .hasMessage("operation 0: an operation is an object, got a number");
    assertThatThrownBy(() -> JsonPatch.apply(json("{}"), json("[{'op':'remove','path':''}]")))
        .hasMessage("operation 0 (remove ): the whole document cannot be removed");
  }
}
