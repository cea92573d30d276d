package dev.reactivews.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ContainerNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON Patch (RFC 6902) with JSON Pointers (RFC 6901): {@code add}, {@code remove},
 * {@code replace}, {@code move}, {@code copy} and {@code test}.
 *
 * <p>{@link #apply} never changes the document it is given. It copies only the objects and
 * arrays on each operation's path and shares every other node with the document and the patch,
 * so the caller must treat all three as immutable. A patch that cannot be applied throws
 * {@link JsonPatchException} as a whole: no operation of it has an effect.
 */
public final class JsonPatch {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /** RFC 6902 section 4.6: numbers are equal when their values are, whatever their spelling. */
  private static final Comparator<JsonNode> JSON_VALUES = (a, b) -> {
    if (a.isNumber() && b.isNumber()) return a.decimalValue().compareTo(b.decimalValue());
    return a.equals(b) ? 0 : 1;
  };

  private JsonPatch() {}

  /** The document with every operation of {@code patch} applied in order. */
  public static JsonNode apply(JsonNode document, JsonNode patch) {
    if (!patch.isArray()) {
      throw new JsonPatchException("a JSON Patch is an array of operations, got " + kind(patch));
    }
    Application application = new Application(document);
    for (int index = 0; index < patch.size(); index++) application.apply(index, patch.get(index));
    return application.root;
  }

  /** The reference token of an object member's name: {@code ~} and {@code /} escaped as RFC 6901 says. */
  public static String escape(String name) {
    return name.replace("~", "~0").replace("/", "~1");
  }

  /** The pointer {@code parent} followed by one more reference token, the member {@code name}. */
  public static String pointer(String parent, String name) {
    return parent + "/" + escape(name);
  }

  /** One patch being applied: the document so far, and the containers it made. */
  private static final class Application {
    private JsonNode root;
    /**
     * The containers this application copied. Nothing outside it has seen them, so a later
     * operation changes them in place instead of copying them again. Each is reachable only
     * through others of the set, up to the root.
     */
    private final Set<JsonNode> copies = Collections.newSetFromMap(new IdentityHashMap<>());
    /** The operation being applied, as error messages name it. */
    private String operation = "";

    Application(JsonNode document) {
      this.root = document;
    }

    void apply(int index, JsonNode op) {
      operation = "operation " + index;
      if (!op.isObject()) throw failure("an operation is an object, got " + kind(op));
      String name = member(op, "op");
      String pathText = member(op, "path");
      operation = "operation " + index + " (" + name + " " + pathText + ")";
      List<String> path = parse(pathText);
      switch (name) {
        case "add" -> root = add(root, path, 0, required(op, "value"));
        case "remove" -> root = remove(root, path, 0);
        case "replace" -> root = replace(root, path, 0, required(op, "value"));
        case "move" -> move(parse(member(op, "from")), path);
        case "copy" -> {
          JsonNode value = get(parse(member(op, "from")));
          root = add(root, path, 0, value);
          // The value now sits at two places: changing a copy in place would change both.
          copies.clear();
        }
        case "test" -> {
          JsonNode expected = required(op, "value");
          JsonNode actual = get(path);
          if (!actual.equals(JSON_VALUES, expected)) {
            throw failure("the value is " + actual + ", not " + expected);
          }
        }
        default -> throw failure("'" + name + "' is not an operation of JSON Patch");
      }
    }

    private void move(List<String> from, List<String> path) {
      if (path.size() > from.size() && path.subList(0, from.size()).equals(from)) {
        throw failure("a value cannot be moved into itself");
      }
      JsonNode value = get(from);
      if (from.equals(path)) return;
      root = remove(root, from, 0);
      root = add(root, path, 0, value);
    }

    private JsonNode add(JsonNode node, List<String> path, int depth, JsonNode value) {
      if (depth == path.size()) return value;
      String token = path.get(depth);
      if (depth < path.size() - 1) return descend(node, path, depth, child -> add(child, path, depth + 1, value));
      ContainerNode<?> parent = writable(node, path, depth);
      if (parent instanceof ObjectNode object) {
        object.set(token, value);
      } else {
        ArrayNode array = (ArrayNode) parent;
        array.insert(token.equals("-") ? array.size() : index(token, array.size() + 1, path, depth), value);
      }
      return parent;
    }

    private JsonNode remove(JsonNode node, List<String> path, int depth) {
      if (depth == path.size()) throw failure("the whole document cannot be removed");
      String token = path.get(depth);
      if (depth < path.size() - 1) return descend(node, path, depth, child -> remove(child, path, depth + 1));
      ContainerNode<?> parent = writable(node, path, depth);
      if (parent instanceof ObjectNode object) {
        if (object.remove(token) == null) throw failure("there is no value at " + text(path, depth + 1));
      } else {
        ArrayNode array = (ArrayNode) parent;
        array.remove(index(token, array.size(), path, depth));
      }
      return parent;
    }

    private JsonNode replace(JsonNode node, List<String> path, int depth, JsonNode value) {
      if (depth == path.size()) return value;
      String token = path.get(depth);
      if (depth < path.size() - 1) {
        return descend(node, path, depth, child -> replace(child, path, depth + 1, value));
      }
      ContainerNode<?> parent = writable(node, path, depth);
      if (parent instanceof ObjectNode object) {
        if (!object.has(token)) throw failure("there is no value at " + text(path, depth + 1));
        object.set(token, value);
      } else {
        ArrayNode array = (ArrayNode) parent;
        array.set(index(token, array.size(), path, depth), value);
      }
      return parent;
    }

    /**
     * {@code node} with its child at {@code path[depth]} replaced by what {@code change} makes of
     * that child: the node itself when the child was changed in place, else a writable copy.
     */
    private JsonNode descend(JsonNode node, List<String> path, int depth, UnaryOperator<JsonNode> change) {
      JsonNode child = child(node, path, depth);
      JsonNode changed = change.apply(child);
      if (changed == child) return node;
      ContainerNode<?> parent = writable(node, path, depth);
      if (parent instanceof ObjectNode object) object.set(path.get(depth), changed);
      else ((ArrayNode) parent).set(index(path.get(depth), parent.size(), path, depth), changed);
      return parent;
    }

    private JsonNode get(List<String> path) {
      JsonNode node = root;
      for (int depth = 0; depth < path.size(); depth++) node = child(node, path, depth);
      return node;
    }

    /** The child of {@code node} that {@code path[depth]} names, which must exist. */
    private JsonNode child(JsonNode node, List<String> path, int depth) {
      String token = path.get(depth);
      JsonNode child;
      if (node.isObject()) {
        child = node.get(token);
      } else if (node.isArray()) {
        child = node.get(index(token, node.size(), path, depth));
      } else {
        throw failure(text(path, depth) + " is " + kind(node) + ", which has no member '" + token + "'");
      }
      if (child == null) throw failure("there is no value at " + text(path, depth + 1));
      return child;
    }

    /** The container {@code node}, or a copy of it that this application may change. */
    private ContainerNode<?> writable(JsonNode node, List<String> path, int depth) {
      if (copies.contains(node)) return (ContainerNode<?>) node;
      ContainerNode<?> copy;
      if (node instanceof ObjectNode object) {
        copy = new ObjectNode(NODES).setAll(object);
      } else if (node instanceof ArrayNode array) {
        copy = new ArrayNode(NODES, array.size() + 1).addAll(array);
      } else {
        throw failure(text(path, depth) + " is " + kind(node) + ", which has no member '" + path.get(depth) + "'");
      }
      copies.add(copy);
      return copy;
    }

    /**
     * The array index that {@code path[depth]} spells, below {@code limit}: digits with no
     * leading zero (RFC 6901 section 4), never "-" (which only {@code add} takes, as the end).
     */
    private int index(String token, int limit, List<String> path, int depth) {
      boolean digits = !token.isEmpty() && token.length() <= 10 && token.chars().allMatch(c -> c >= '0' && c <= '9')
          && (token.length() == 1 || token.charAt(0) != '0');
      if (!digits) throw failure("'" + token + "' at " + text(path, depth) + " is not an array index");
      long index = Long.parseLong(token);
      if (index >= limit) {
        throw failure("index " + index + " is past the end of the array at " + text(path, depth));
      }
      return (int) index;
    }

    private String member(JsonNode op, String name) {
      JsonNode value = op.get(name);
      if (value == null || !value.isString()) throw failure("'" + name + "' must be a string");
      return value.stringValue();
    }

    private JsonNode required(JsonNode op, String name) {
      JsonNode value = op.get(name);
      if (value == null) throw failure("'" + name + "' is missing");
      return value;
    }

    /** A JSON Pointer's reference tokens, unescaped. */
    private List<String> parse(String pointer) {
      if (pointer.isEmpty()) return List.of();
      if (pointer.charAt(0) != '/') throw failure("the pointer '" + pointer + "' does not start with '/'");
      List<String> tokens = new ArrayList<>();
      StringBuilder token = new StringBuilder();
      for (int i = 1; i <= pointer.length(); i++) {
        char c = i < pointer.length() ? pointer.charAt(i) : '/';
        if (c == '/') {
          tokens.add(token.toString());
          token.setLength(0);
        } else if (c == '~') {
          char escaped = i + 1 < pointer.length() ? pointer.charAt(++i) : ' ';
          if (escaped != '0' && escaped != '1') {
            throw failure("the pointer '" + pointer + "' has a '~' not followed by 0 or 1");
          }
          token.append(escaped == '0' ? '~' : '/');
        } else {
          token.append(c);
        }
      }
      return tokens;
    }

    /** The pointer to the first {@code depth} tokens of {@code path}, as text. */
    private static String text(List<String> path, int depth) {
      if (depth == 0) return "the document";
      StringBuilder text = new StringBuilder();
      for (String token : path.subList(0, depth)) text.append('/').append(escape(token));
      return text.toString();
    }

    private JsonPatchException failure(String detail) {
      return new JsonPatchException(operation + ": " + detail);
    }
  }

  private static String kind(JsonNode node) {
    String type = node.getNodeType().name().toLowerCase(Locale.ROOT);
    return switch (type) {
      case "object", "array" -> "an " + type;
      default -> "a " + type;
    };
  }
}
