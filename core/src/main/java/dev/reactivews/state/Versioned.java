package dev.reactivews.state;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** A state topic's value at a version: what a read or an update saw or made. */
public record Versioned<T extends @Nullable Object>(T value, StateVersion version) {
  public Versioned {
    Objects.requireNonNull(version, "version == null");
  }
}
