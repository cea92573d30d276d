package dev.reactivews.validation;

import com.networknt.schema.AbsoluteIri;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.SchemaException;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import dev.reactivews.internal.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * A {@link Schema} written in JSON Schema, so that a front end (a nuxt-ws app validating with
 * ajv, say) and the server check a message against the same file. The value is validated, then,
 * if the schema is bound to a type, bound by Jackson; every violation comes back as an issue whose
 * path is the one {@link BeanSchema} gives ({@code payload.text}, {@code items[0]}).
 *
 * <pre>{@code
 * Schema<ChatPublish> schema = JsonSchema.ofResource("schemas/chat-publish.schema.json")
 *     .bindTo(ChatPublish.class);
 * }</pre>
 *
 * <p>A schema may word its own messages: {@code "errorMessage": {"pattern": "must not be blank"}}
 * beside {@code pattern} gives that message for it (an object from keyword to message, the form
 * the ajv-errors plugin reads too).
 *
 * <p>The dialect is the one the schema's {@code $schema} names, 2020-12 without it. The schema is
 * compiled once, when it is made, and then serves every thread. Nothing is ever fetched over the
 * network or read from a file: a {@code $ref} or {@code $schema} may name only the schema itself,
 * the class path ({@code classpath:}), or the dialects the validator ships; any other is refused
 * when the schema is made, so no message can make the server open a connection.
 *
 * <p>Needs {@code com.networknt:json-schema-validator} (3.x) on the class path.
 */
public final class JsonSchema<T> implements Schema<T> {
  /** The schemes of the IRIs a schema may load, besides the dialects the validator ships. */
  private static final Set<String> LOADABLE_SCHEMES = Set.of("classpath", "resource");
  /** Where the dialects the validator ships live; it maps them to its own jar, never to the network. */
  private static final List<String> SHIPPED_DIALECTS = List.of("https://json-schema.org/", "http://json-schema.org/");
  /** The keywords whose violations are about one property, missing or unexpected, of the object at their location. */
  private static final Set<String> NAMES_A_PROPERTY = Set.of("required", "additionalProperties", "unevaluatedProperties");
  /** Messages of the schema's own, in the form ajv-errors reads too: {@code {"pattern": "must not be blank"}}. */
  private static final String ERROR_MESSAGE_KEYWORD = "errorMessage";
  private static final String TEXT_REFUSED = "expected JSON the schema accepts, got text";

  /** Compiled with every {@code $ref} resolved; shared by the schemas bound from it. */
  private final com.networknt.schema.Schema compiled;
  /** What a valid value is bound to; null gives the value itself back. */
  private final @Nullable Class<T> type;
  /** Binds to {@link #type}; null when it is. */
  private final @Nullable ObjectMapper mapper;

  private JsonSchema(com.networknt.schema.Schema compiled, @Nullable Class<T> type, @Nullable ObjectMapper mapper) {
    this.compiled = compiled;
    this.type = type;
    this.mapper = mapper;
  }

  /**
   * A schema from its JSON text, giving back the valid value itself. Throws {@link
   * IllegalArgumentException} if the text is not a schema, or names a schema it may not load.
   */
  public static JsonSchema<JsonNode> of(String schema) {
    Objects.requireNonNull(schema, "schema == null");
    return compile(null, schema);
  }

  /**
   * A schema from a class-path resource ({@code schemas/chat-publish.schema.json}), giving back the
   * valid value itself; a relative {@code $ref} in it names another resource beside it. Throws
   * {@link IllegalArgumentException} if there is no such resource, it is not a schema, or it names
   * a schema it may not load.
   */
  public static JsonSchema<JsonNode> ofResource(String name) {
    Objects.requireNonNull(name, "name == null");
    String resource = name.startsWith("/") ? name.substring(1) : name;
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    try (InputStream in = (loader == null ? JsonSchema.class.getClassLoader() : loader).getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no class-path resource " + resource);
      }
      return compile(SchemaLocation.of("classpath:" + resource), new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the class-path resource " + resource, e);
    }
  }

  /**
   * The same schema, binding a valid value to the type with a default mapper; a value the type
   * cannot hold (a string where it has a number) is an issue at its path.
   */
  public <U> JsonSchema<U> bindTo(Class<U> type) {
    return bindTo(type, BindingMapper.INSTANCE);
  }

  /** The same schema, binding a valid value to the type with your mapper's rules. */
  public <U> JsonSchema<U> bindTo(Class<U> type, ObjectMapper mapper) {
    return new JsonSchema<>(compiled,
        Objects.requireNonNull(type, "type == null"), Objects.requireNonNull(mapper, "mapper == null"));
  }

  @Override
  public Validation<T> validate(JsonNode value) {
    List<Error> errors = compiled.validate(value);
    if (!errors.isEmpty()) {
      // Text that is not JSON arrives as a string node: what the schema says about a string would mislead.
      List<Issue> issues = value.isString()
          ? List.of(new Issue("", TEXT_REFUSED))
          : errors.stream().map(JsonSchema::issue).sorted(Comparator.comparing(Issue::path)).distinct().toList();
      return new Validation.Invalid<>(issues);
    }
    if (type == null || mapper == null) {
      @SuppressWarnings("unchecked")
      T node = (T) value;
      return new Validation.Valid<>(node);
    }
    try {
      return new Validation.Valid<>(mapper.treeToValue(value, type));
    } catch (JacksonException e) {
      return new Validation.Invalid<>(List.of(new Issue(JacksonPaths.of(e), e.getOriginalMessage())));
    }
  }

  private static JsonSchema<JsonNode> compile(@Nullable SchemaLocation location, String text) {
    SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12, builder -> builder
        .schemaRegistryConfig(SchemaRegistryConfig.builder()
            .locale(Locale.ENGLISH)
            .errorMessageKeyword(ERROR_MESSAGE_KEYWORD)
            .build())
        .schemaLoader(loader -> loader.fetchRemoteResources(false).allow(JsonSchema::loadable)));
    try {
      com.networknt.schema.Schema compiled = location == null
          ? registry.getSchema(text, InputFormat.JSON)
          : registry.getSchema(location, text, InputFormat.JSON);
      // Resolves every $ref now: left lazy, the first message to reach one would load it.
      compiled.initializeValidators();
      return new JsonSchema<>(compiled, null, null);
    } catch (SchemaException | JacksonException e) {
      throw new IllegalArgumentException("not a usable JSON Schema: " + e.getMessage(), e);
    }
  }

  private static boolean loadable(AbsoluteIri iri) {
    String text = iri.toString();
    return LOADABLE_SCHEMES.contains(String.valueOf(iri.getScheme()).toLowerCase(Locale.ROOT))
        || SHIPPED_DIALECTS.stream().anyMatch(text::startsWith);
  }

  /**
   * The issue of a violation: for a missing or unexpected property the validator points at the
   * object holding it, and the issue at the property, as Bean Validation does.
   */
  private static Issue issue(Error error) {
    StringBuilder path = new StringBuilder();
    NodePath location = error.getInstanceLocation();
    for (int i = 0; i < location.getNameCount(); i++) {
      append(path, location.getElement(i));
    }
    if (error.getProperty() != null && NAMES_A_PROPERTY.contains(error.getKeyword())) {
      append(path, error.getProperty());
    }
    return new Issue(path.toString(), error.getMessage());
  }

  private static void append(StringBuilder path, Object element) {
    if (element instanceof Integer index) {
      path.append('[').append(index).append(']');
    } else {
      if (!path.isEmpty()) {
        path.append('.');
      }
      path.append(element);
    }
  }

  /**
   * Built on first use, so that a schema never bound to a type never makes it. The schema says
   * which properties a message may have; a property the type lacks is not bound.
   */
  private static final class BindingMapper {
    static final ObjectMapper INSTANCE =
        Json.mapperBuilder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
  }
}
