package dev.reactivews.validation;

import dev.reactivews.internal.Json;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * A {@link Schema} for a record or class annotated with Jakarta Bean Validation constraints:
 * the value is bound by Jackson, then validated. Binding problems (a missing object, a string
 * where a number belongs, an unknown property) and every constraint violation come back as
 * issues.
 *
 * <pre>{@code
 * record Publish(@NotNull @Pattern(regexp = "publish") String type,
 *                @NotNull @Pattern(regexp = "chat") String topic,
 *                @NotNull @Valid Payload payload) {}
 * Schema<Publish> schema = BeanSchema.of(Publish.class);
 * }</pre>
 *
 * <p>Needs a Bean Validation provider (Hibernate Validator, say) on the class path.
 */
public final class BeanSchema<T> implements Schema<T> {
  private static final ObjectMapper STRICT_MAPPER =
      Json.mapperBuilder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES).build();

  private final Class<T> type;
  private final Validator validator;
  private final ObjectMapper mapper;

  private BeanSchema(Class<T> type, Validator validator, ObjectMapper mapper) {
    this.type = type;
    this.validator = validator;
    this.mapper = mapper;
  }

  /** A schema for the type, with the default validator; unknown properties are issues. */
  public static <T> BeanSchema<T> of(Class<T> type) {
    return of(type, DefaultValidator.INSTANCE, STRICT_MAPPER);
  }

  /** A schema for the type with your validator and your mapper's binding rules. */
  public static <T> BeanSchema<T> of(Class<T> type, Validator validator, ObjectMapper mapper) {
    return new BeanSchema<>(
        Objects.requireNonNull(type, "type == null"),
        Objects.requireNonNull(validator, "validator == null"),
        Objects.requireNonNull(mapper, "mapper == null"));
  }

  @Override
  public Validation<T> validate(JsonNode value) {
    if (!value.isObject()) {
      return new Validation.Invalid<>(
          List.of(new Issue("", "expected an object, got " + describe(value))));
    }
    T bound;
    try {
      bound = mapper.treeToValue(value, type);
    } catch (JacksonException e) {
      return new Validation.Invalid<>(List.of(new Issue(JacksonPaths.of(e), e.getOriginalMessage())));
    }
    List<Issue> issues = validator.validate(bound).stream()
        .sorted(Comparator.comparing((ConstraintViolation<T> v) -> v.getPropertyPath().toString()))
        .map(v -> new Issue(v.getPropertyPath().toString(), v.getMessage()))
        .toList();
    return issues.isEmpty()
        ? new Validation.Valid<>(bound)
        : new Validation.Invalid<>(issues);
  }

  private static String describe(JsonNode value) {
    return value.isString() ? "text that is not a JSON object" : value.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Built on first use, so that apps without Bean Validation never load it. */
  private static final class DefaultValidator {
    static final Validator INSTANCE = build();

    @SuppressWarnings("resource")
    private static Validator build() {
      ValidatorFactory factory = jakarta.validation.Validation.buildDefaultValidatorFactory();
      return factory.getValidator();
    }
  }
}
