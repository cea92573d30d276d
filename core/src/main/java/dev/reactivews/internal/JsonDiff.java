package dev.reactivews.internal;

import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The change from one JSON value to another, as a JSON Patch (RFC 6902) and, where one can say
 * it, as a JSON Merge Patch (RFC 7386), both found in one walk over the two values.
 *
 * <p>The walk: objects compare member by member (a member gone is removed, a new one added,
 * one on both sides compared in turn). Arrays lose their common prefix and suffix; what is left
 * in between is compared element by element when both sides have as many elements, else it is
 * removed and the new elements added (at {@code /-} when nothing follows them, so an append is
 * one {@code add}). Any other difference replaces the value. It costs O(size of both values).
 *
 * <p>The results share nodes with the target value: treat them as immutable.
 */
public final class JsonDiff {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectMapper MAPPER = Json.mapperBuilder().build();

  /** The two kinds of patch. */
  public enum Form {
    /** JSON Patch, RFC 6902: an array of operations. */
    PATCH,
    /** JSON Merge Patch, RFC 7386. */
    MERGE
  }

  /** A patch as JSON text, and its form. */
  public record Encoded(Form form, byte[] json) {}

  /**
   * The change from one value to another.
   *
   * @param patch the JSON Patch: empty when the values are equal
   * @param merge the merge patch, or null when none can make the change: a merge patch cannot
   *     set a member of an object to {@code null}, since that removes it
   */
  public record Diff(ArrayNode patch, JsonNode merge) {
    /** Whether the two values differ. */
    public boolean changed() {
      return !patch.isEmpty();
    }

    /** The shorter of the two forms as JSON text; the JSON Patch when they are as long, or there is no merge patch. */
    public Encoded smaller() {
      byte[] patchJson = MAPPER.writeValueAsBytes(patch);
      if (merge == null) return new Encoded(Form.PATCH, patchJson);
      byte[] mergeJson = MAPPER.writeValueAsBytes(merge);
      return mergeJson.length < patchJson.length ? new Encoded(Form.MERGE, mergeJson) : new Encoded(Form.PATCH, patchJson);
    }
  }

  private JsonDiff() {}

  /** What turns {@code source} into {@code target}. */
  public static Diff between(JsonNode source, JsonNode target) {
    Walk walk = new Walk();
    JsonNode merge;
    if (source.isObject() && target.isObject()) {
      merge = walk.members((ObjectNode) source, (ObjectNode) target, "", true);
    } else {
      walk.compare(source, target, "", false);
      // A merge patch that is not an object replaces the whole value; an object one is merged
      // into nothing, which drops its null members.
      merge = hasNullMember(target) ? null : target;
    }
    return new Diff(walk.patch, walk.mergeable ? merge : null);
  }

  /** One walk over two values, which appends to the patch as it goes. */
  private static final class Walk {
    private final ArrayNode patch = NODES.arrayNode();
    /** False once the walk met a change that no merge patch can express. */
    private boolean mergeable = true;

    /**
     * Adds the operations that turn {@code source} into {@code target} at {@code pointer}.
     * With {@code merging} (the values are members of objects all the way up), it returns the
     * merge patch's member for this place, or null when the values are equal.
     */
    JsonNode compare(JsonNode source, JsonNode target, String pointer, boolean merging) {
      if (source.equals(target)) return null;
      if (source.isObject() && target.isObject()) {
        return members((ObjectNode) source, (ObjectNode) target, pointer, merging);
      }
      if (source.isArray() && target.isArray()) {
        elements((ArrayNode) source, (ArrayNode) target, pointer);
      } else {
        operation("replace", pointer).set("value", target);
      }
      if (merging) whole(target);
      return target;
    }

    /** Compares two objects; with {@code merging}, returns their merge patch (empty when equal). */
    ObjectNode members(ObjectNode source, ObjectNode target, String pointer, boolean merging) {
      ObjectNode merge = merging ? NODES.objectNode() : null;
      for (String name : source.propertyNames()) {
        if (!target.has(name)) {
          operation("remove", JsonPatch.pointer(pointer, name));
          if (merging) merge.putNull(name);
        }
      }
      for (Map.Entry<String, JsonNode> member : target.properties()) {
        String name = member.getKey();
        JsonNode value = member.getValue();
        JsonNode before = source.get(name);
        String at = JsonPatch.pointer(pointer, name);
        if (before == null) {
          operation("add", at).set("value", value);
          if (merging) merge.set(name, whole(value));
        } else {
          JsonNode change = compare(before, value, at, merging);
          if (merging && change != null) merge.set(name, change);
        }
      }
      return merge;
    }

    void elements(ArrayNode source, ArrayNode target, String pointer) {
      int sourceSize = source.size();
      int targetSize = target.size();
      int prefix = 0;
      while (prefix < sourceSize && prefix < targetSize && source.get(prefix).equals(target.get(prefix))) prefix++;
      int suffix = 0;
      while (suffix < sourceSize - prefix && suffix < targetSize - prefix
          && source.get(sourceSize - 1 - suffix).equals(target.get(targetSize - 1 - suffix))) {
        suffix++;
      }
      int removed = sourceSize - prefix - suffix;
      int added = targetSize - prefix - suffix;
      if (removed == added) {
        for (int i = prefix; i < prefix + removed; i++) {
          compare(source.get(i), target.get(i), pointer + "/" + i, false);
        }
        return;
      }
      for (int i = 0; i < removed; i++) operation("remove", pointer + "/" + prefix);
      for (int i = prefix; i < prefix + added; i++) {
        operation("add", suffix == 0 ? pointer + "/-" : pointer + "/" + i).set("value", target.get(i));
      }
    }

    /** A value the merge patch carries whole, which it can carry only without null members. */
    private JsonNode whole(JsonNode value) {
      if (value.isNull() || hasNullMember(value)) mergeable = false;
      return value;
    }

    private ObjectNode operation(String op, String path) {
      return patch.addObject().put("op", op).put("path", path);
    }
  }

  /**
   * Whether an object, or an object among its members' values at any depth, has a null member.
   * Arrays are not searched: a merge patch carries them as they are.
   */
  private static boolean hasNullMember(JsonNode value) {
    if (!value.isObject()) return false;
    for (JsonNode member : value.values()) {
      if (member.isNull() || hasNullMember(member)) return true;
    }
    return false;
  }
}
