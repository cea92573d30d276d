package dev.reactivews.validation;

import java.util.List;

/** The outcome of a validation: the typed value, or every issue found. */
public sealed interface Validation<T> {
  /** A value that passed. */
  record Valid<T>(T value) implements Validation<T> {}

  /** A value that failed, with at least one issue. */
  record Invalid<T>(List<Issue> issues) implements Validation<T> {
    public Invalid {
      issues = List.copyOf(issues);
      if (issues.isEmpty()) {
        throw new IllegalArgumentException("an invalid result needs at least one issue");
      }
    }
  }

  /** The value if valid; otherwise throws {@link ValidationException} with every issue. */
  default T orThrow() {
    return switch (this) {
      case Valid<T> valid -> valid.value();
      case Invalid<T> invalid -> throw new ValidationException(invalid.issues());
    };
  }
}
