package dev.reactivews.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@link JsonDiff} on random JSON values: each form it gives turns the first value into the
 * second, and an append to a long list is one {@code add}. The values are drawn at random, and
 * also as a value and a few random edits of it, which is how states change.
 */
class JsonDiffPropertyTest {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectMapper MAPPER = Json.mapperBuilder().build();
  /** Member names, with the two characters a JSON Pointer escapes. */
  private static final List<String> NAMES = List.of("a", "b", "c", "", "~", "/", "x/y~0");

  @Property
  void bothFormsTurnOneValueIntoTheOther(@ForAll("values") JsonNode source, @ForAll("values") JsonNode target) {
    checkBothForms(source, target);
  }

  @Property
  void bothFormsTurnAValueIntoAnEditOfIt(@ForAll("edits") Tuple2<JsonNode, JsonNode> edit) {
    checkBothForms(edit.get1(), edit.get2());
  }

  @Property
  void withoutNullsThereIsAlwaysAMergePatch(@ForAll("valuesWithoutNull") JsonNode source,
      @ForAll("valuesWithoutNull") JsonNode target) {
    JsonDiff.Diff diff = JsonDiff.between(source, target);

    assertThat(diff.merge()).isNotNull();
    assertThat(JsonMergePatch.apply(source, diff.merge())).isEqualTo(target);
  }

  @Property
  void theSmallerFormIsNoLongerThanTheOtherAndTurnsOneValueIntoTheOther(
      @ForAll("edits") Tuple2<JsonNode, JsonNode> edit) {
    JsonNode source = edit.get1();
    JsonNode target = edit.get2();
    JsonDiff.Diff diff = JsonDiff.between(source, target);
    JsonDiff.Encoded smaller = diff.smaller();
    JsonNode patch = MAPPER.readTree(smaller.json());

    JsonNode result = smaller.form() == JsonDiff.Form.MERGE ? JsonMergePatch.apply(source, patch) : JsonPatch.apply(source, patch);
    assertThat(result).isEqualTo(target);
    assertThat(smaller.json().length).isLessThanOrEqualTo(MAPPER.writeValueAsBytes(diff.patch()).length);
    if (diff.merge() != null) {
      assertThat(smaller.json().length).isLessThanOrEqualTo(MAPPER.writeValueAsBytes(diff.merge()).length);
    }
  }

  @Property
  void equalValuesHaveNoChange(@ForAll("values") JsonNode value) {
    JsonDiff.Diff diff = JsonDiff.between(value, value.deepCopy());

    assertThat(diff.changed()).isFalse();
    assertThat(diff.patch()).isEmpty();
  }

  @Property(tries = 50)
  void anAppendToALongListIsOneAddAtTheEnd(@ForAll("longLists") ArrayNode list, @ForAll("values") JsonNode item) {
    ObjectNode source = NODES.objectNode().set("chat", list);
    ObjectNode target = NODES.objectNode().set("chat", list.deepCopy().add(item));
    JsonDiff.Diff diff = JsonDiff.between(source, target);

    ArrayNode expected = NODES.arrayNode();
    expected.addObject().put("op", "add").put("path", "/chat/-").set("value", item);
    assertThat(diff.patch()).isEqualTo(expected);
    assertThat(diff.smaller().form()).isEqualTo(JsonDiff.Form.PATCH);
  }

  /** The JSON Patch turns source into target, and so does the merge patch where there is one. */
  private static void checkBothForms(JsonNode source, JsonNode target) {
    JsonNode before = source.deepCopy();
    JsonDiff.Diff diff = JsonDiff.between(source, target);

    assertThat(JsonPatch.apply(source, diff.patch())).isEqualTo(target);
    assertThat(diff.changed()).isEqualTo(!source.equals(target));
    if (diff.merge() != null) assertThat(JsonMergePatch.apply(source, diff.merge())).isEqualTo(target);
    assertThat(source).as("the source value").isEqualTo(before);
  }

  @Provide
  Arbitrary<JsonNode> values() {
    return values(true);
  }

  @Provide
  Arbitrary<JsonNode> valuesWithoutNull() {
    return values(false);
  }

  @Provide
  Arbitrary<Tuple2<JsonNode, JsonNode>> edits() {
    return Combinators.combine(values(), values().list().ofMinSize(1).ofMaxSize(4), Arbitraries.randoms())
        .as((value, inserted, random) -> Tuple.of(value, edited(value, inserted, random)));
  }

  @Provide
  Arbitrary<ArrayNode> longLists() {
    return values().list().ofMinSize(100).ofMaxSize(1000).map(items -> NODES.arrayNode().addAll(items));
  }

  private static Arbitrary<JsonNode> values(boolean nulls) {
    List<JsonNode> scalars = new ArrayList<>(List.of(NODES.booleanNode(true), NODES.booleanNode(false),
        NODES.numberNode(0), NODES.numberNode(1), NODES.numberNode(1.0), NODES.numberNode(-2.5),
        NODES.stringNode(""), NODES.stringNode("a"), NODES.stringNode("~/")));
    if (nulls) scalars.add(NODES.nullNode());
    Arbitrary<JsonNode> leaves = Arbitraries.of(scalars);
    return Arbitraries.recursive(() -> leaves, inner -> Arbitraries.oneOf(
        leaves,
        inner.list().ofMaxSize(5).map(items -> NODES.arrayNode().addAll(items)),
        Arbitraries.maps(Arbitraries.of(NAMES), inner).ofMaxSize(4).map(members -> NODES.objectNode().setAll(members))),
        0, 4);
  }

  /** A copy of {@code value} with one random edit per inserted value: set, add or remove somewhere inside. */
  private static JsonNode edited(JsonNode value, List<JsonNode> inserted, Random random) {
    JsonNode copy = value.deepCopy();
    for (JsonNode item : inserted) {
      List<JsonNode> containers = new ArrayList<>();
      collectContainers(copy, containers);
      if (containers.isEmpty()) {
        copy = item;
        continue;
      }
      JsonNode container = containers.get(random.nextInt(containers.size()));
      if (container instanceof ArrayNode array) {
        int action = random.nextInt(4);
        if (array.isEmpty() || action == 0) array.add(item);
        else if (action == 1) array.insert(random.nextInt(array.size() + 1), item);
        else if (action == 2) array.remove(random.nextInt(array.size()));
        else array.set(random.nextInt(array.size()), item);
      } else {
        ObjectNode object = (ObjectNode) container;
        String name = NAMES.get(random.nextInt(NAMES.size()));
        if (object.has(name) && random.nextBoolean()) object.remove(name);
        else object.set(name, item);
      }
    }
    return copy;
  }

  private static void collectContainers(JsonNode node, List<JsonNode> containers) {
    if (!node.isContainer()) return;
    containers.add(node);
    for (JsonNode child : node.values()) collectContainers(child, containers);
  }
}
