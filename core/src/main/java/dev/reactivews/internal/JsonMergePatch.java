package dev.reactivews.internal;

import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.MissingNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON Merge Patch (RFC 7386). A merge patch is any JSON value: an object changes the members it
 * names (a member set to {@code null} is removed), anything else replaces the whole value.
 *
 * <p>{@link #apply} never changes the value it is given: it copies the objects the patch reaches
 * into and shares every other node with the value and the patch. Every JSON value is a valid
 * merge patch, so it never fails.
 */
public final class JsonMergePatch {
  private JsonMergePatch() {}

  /** {@code target} with {@code patch} merged into it. */
  public static JsonNode apply(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) return patch;
    ObjectNode result = new ObjectNode(JsonNodeFactory.instance);
    if (target.isObject()) result.setAll((ObjectNode) target);
    for (Map.Entry<String, JsonNode> member : patch.properties()) {
      String name = member.getKey();
      JsonNode change = member.getValue();
      if (change.isNull()) {
        result.remove(name);
      } else {
        JsonNode current = result.get(name);
        result.set(name, apply(current == null ? MissingNode.getInstance() : current, change));
      }
    }
    return result;
  }
}
