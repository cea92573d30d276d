package dev.reactivews.state;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One committed change of a state topic: it turns version {@code number - 1} of the epoch into
 * {@code version}. The body is UTF-8 JSON, encoded once by the store; what it holds is its form's.
 */
public record Change(String topic, StateVersion version, Form form, byte[] body) {
  /** How a change's body changes the state. */
  public enum Form {
    /** A JSON Patch (RFC 6902): an array of operations on the previous state. */
    PATCH,
    /** A JSON Merge Patch (RFC 7386) on the previous state. */
    MERGE,
    /** The whole new state. */
    STATE
  }

  public Change {
    Objects.requireNonNull(topic, "topic == null");
    Objects.requireNonNull(version, "version == null");
    Objects.requireNonNull(form, "form == null");
    Objects.requireNonNull(body, "body == null");
  }

  /** The body as text, for logs and tests. */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** Changes are equal when their bodies hold the same bytes, not only the same array. */
  @Override
  public boolean equals(Object other) {
    return other instanceof Change that && topic.equals(that.topic) && version.equals(that.version)
        && form == that.form && Arrays.equals(body, that.body);
  }

  @Override
  public int hashCode() {
    return Objects.hash(topic, version, form, Arrays.hashCode(body));
  }

  @Override
  public String toString() {
    return "Change[" + topic + " " + version.epoch() + "." + version.number() + " " + form + " " + bodyText() + "]";
  }
}
