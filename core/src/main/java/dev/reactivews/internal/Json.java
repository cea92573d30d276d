package dev.reactivews.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.core.util.RecyclerPool;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;

/** JSON reading and writing within configured bounds of size and nesting. */
public final class Json {
  /**
   * Jackson keeps its parse and write buffers per thread by default, and hooks run on virtual
   * threads that live for a few messages: each parse and encode would allocate its buffers
   * afresh. One pool for every thread recycles them; it keeps at most 100 sets of buffers, so a
   * burst of concurrent parses cannot leave it holding memory for good.
   */
  private static final RecyclerPool<BufferRecycler> BUFFERS = JsonRecyclerPools.sharedBoundedPool();

  /** The limits of a default {@link dev.reactivews.WsConfig}. */
  public static final Json DEFAULTS = new Json(64 * 1024, 32);

  /** The lenient parse of a text, and whether it was refused for nesting too deep. */
  public record Parsed(JsonNode value, boolean tooDeep) {}

  private final ObjectMapper mapper;
  private final int maxChars;

  public Json(int maxChars, int maxDepth) {
    this.maxChars = maxChars;
    JsonFactory factory = JsonFactory.builder()
        // Numbers, names and strings may be as long as a whole message: nesting is the only
        // limit a valid message can pass, so the error a peer gets names it truly.
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(maxDepth)
            .maxDocumentLength(maxChars)
            .maxNumberLength(maxChars)
            .maxNameLength(maxChars)
            .maxStringLength(maxChars)
            .build())
        .recyclerPool(BUFFERS)
        .build();
    this.mapper = new ObjectMapper(factory).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  /** A plain mapper whose buffers are recycled whichever thread uses it. */
  public static ObjectMapper newMapper() {
    return new ObjectMapper(JsonFactory.builder().recyclerPool(BUFFERS).build());
  }

  /**
   * Parses JSON text into a value; anything else, and JSON past the limits (longer than a
   * message, or nested too deep), comes back as the original string. Never throws.
   */
  public Parsed parseLenient(String text) {
    if (!looksLikeJson(text)) {
      return new Parsed(textNode(text), false);
    }
    if (text.length() > maxChars) {
      return new Parsed(textNode(text), false);
    }
    try {
      return new Parsed(mapper.readTree(text), false);
    } catch (StreamConstraintsException e) {
      return new Parsed(textNode(text), true);
    } catch (JsonProcessingException e) {
      return new Parsed(textNode(text), false);
    }
  }

  public TextNode textNode(String text) {
    return JsonNodeFactory.instance.textNode(text);
  }

  /** Encodes a value as UTF-8 JSON. */
  public byte[] encode(Object value) {
    try {
      return mapper.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("Cannot encode as JSON: " + value.getClass().getName(), e);
    }
  }

  private static boolean looksLikeJson(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!Character.isWhitespace(c)) {
        return c == '{' || c == '[' || c == '"' || c == '-' || (c >= '0' && c <= '9')
            || c == 't' || c == 'f' || c == 'n';
      }
    }
    return false;
  }
}
