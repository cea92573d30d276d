package dev.reactivews.internal;

import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.BufferRecycler;
import tools.jackson.core.util.JsonRecyclerPools;
import tools.jackson.core.util.RecyclerPool;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.NumericNode;
import tools.jackson.databind.node.StringNode;

/** JSON reading and writing within configured bounds of size and nesting. */
public final class Json {
  /**
   * Jackson keeps its parse and write buffers per thread by default, and hooks run on virtual
   * threads that live for a few messages: each parse and encode would allocate its buffers
   * afresh. One pool for every thread recycles them; it keeps at most 100 sets of buffers, so a
   * burst of concurrent parses cannot leave it holding memory for good.
   */
  private static final RecyclerPool<BufferRecycler> BUFFERS = JsonRecyclerPools.sharedBoundedPool();

  /**
   * The longest number, in characters, a message may hold: Jackson's own default. Turning a
   * number's digits into a value takes time that grows faster than their count, so a message of
   * one long number would cost a core far more than its size suggests.
   */
  public static final int MAX_NUMBER_CHARS = StreamReadConstraints.DEFAULT_MAX_NUM_LEN;
  /** The longest field name, in characters, a message may hold. */
  public static final int MAX_NAME_CHARS = 1024;

  /** The limits of a default {@link dev.reactivews.WsConfig}. */
  public static final Json DEFAULTS = new Json(64 * 1024, 32);

  /** Why a parse refused JSON text that was otherwise well formed. */
  public enum Refusal {
    /** Nested deeper than the configured depth. */
    TOO_DEEP,
    /** A number longer than {@link #MAX_NUMBER_CHARS}, or a field name longer than {@link #MAX_NAME_CHARS}. */
    TOO_LONG,
    /** A number too large for a double, such as {@code 1e999999999}. */
    OUT_OF_RANGE
  }

  /** The lenient parse of a text, and why it was refused as JSON; {@code refusal} is null if it was not. */
  public record Parsed(JsonNode value, Refusal refusal) {
    public boolean refused() {
      return refusal != null;
    }
  }

  private final ObjectMapper mapper;
  private final int maxChars;

  public Json(int maxChars, int maxDepth) {
    this.maxChars = maxChars;
    JsonFactory factory = JsonFactory.builder()
        // A string may be as long as a whole message; numbers and names have bounds of their own.
        .streamReadConstraints(new Constraints(maxDepth, maxChars))
        .recyclerPool(BUFFERS)
        .build();
    this.mapper = JsonMapper.builder(factory)
        .nodeFactory(FiniteNumbers.INSTANCE)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .build();
  }

  /** A builder of plain mappers whose buffers are recycled whichever thread uses them. */
  public static JsonMapper.Builder mapperBuilder() {
    return JsonMapper.builder(JsonFactory.builder().recyclerPool(BUFFERS).build());
  }

  /**
   * Parses JSON text into a value; anything else, and JSON past the limits (longer than a
   * message, nested too deep, a number or a name too long, a number out of range), comes back as
   * the original string. Never throws.
   */
  public Parsed parseLenient(String text) {
    if (!looksLikeJson(text) || text.length() > maxChars) {
      return new Parsed(textNode(text), null);
    }
    try {
      return new Parsed(mapper.readTree(text), null);
    } catch (NestingTooDeep e) {
      return new Parsed(textNode(text), Refusal.TOO_DEEP);
    } catch (StreamConstraintsException e) {
      return new Parsed(textNode(text), Refusal.TOO_LONG);
    } catch (NumberOutOfRange e) {
      return new Parsed(textNode(text), Refusal.OUT_OF_RANGE);
    } catch (JacksonException e) {
      return new Parsed(textNode(text), null);
    }
  }

  public StringNode textNode(String text) {
    return StringNode.valueOf(text);
  }

  /** Encodes a value as UTF-8 JSON. */
  public byte[] encode(Object value) {
    try {
      return mapper.writeValueAsBytes(value);
    } catch (JacksonException e) {
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

  /**
   * Jackson's bounds, with a nesting failure of its own type: a peer is told which bound its
   * message broke.
   */
  private static final class Constraints extends StreamReadConstraints {
    private static final long serialVersionUID = 1L;

    Constraints(int maxDepth, int maxChars) {
      super(maxDepth, maxChars, DEFAULT_MAX_TOKEN_COUNT, MAX_NUMBER_CHARS, maxChars, MAX_NAME_CHARS);
    }

    @Override
    public void validateNestingDepth(int depth) throws StreamConstraintsException {
      try {
        super.validateNestingDepth(depth);
      } catch (StreamConstraintsException e) {
        throw new NestingTooDeep(e.getMessage());
      }
    }
  }

  private static final class NestingTooDeep extends StreamConstraintsException {
    private static final long serialVersionUID = 1L;

    NestingTooDeep(String message) {
      super(message);
    }
  }

  /**
   * Refuses numbers a double cannot hold. JSON has no infinity, so an infinite value always comes
   * from a literal such as {@code 1e999999999}, whose conversion to {@link java.math.BigDecimal}
   * or {@link java.math.BigInteger} further on could take longer than any message is worth.
   */
  private static final class FiniteNumbers extends JsonNodeFactory {
    private static final long serialVersionUID = 1L;
    static final FiniteNumbers INSTANCE = new FiniteNumbers();

    @Override
    public NumericNode numberNode(double value) {
      if (!Double.isFinite(value)) {
        throw new NumberOutOfRange();
      }
      return super.numberNode(value);
    }

    @Override
    public NumericNode numberNode(float value) {
      if (!Float.isFinite(value)) {
        throw new NumberOutOfRange();
      }
      return super.numberNode(value);
    }
  }

  /** A client's mistake, thrown and caught within one parse: it needs no stack trace. */
  private static final class NumberOutOfRange extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NumberOutOfRange() {
      super("number out of range", null, false, false);
    }
  }
}
