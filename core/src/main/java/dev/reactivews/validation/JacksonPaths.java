package dev.reactivews.validation;

import tools.jackson.core.JacksonException;

/** The issue path ({@code payload.text}, {@code items[0]}) of where Jackson failed to bind. */
final class JacksonPaths {
  private JacksonPaths() {}

  static String of(JacksonException e) {
    StringBuilder path = new StringBuilder();
    for (JacksonException.Reference ref : e.getPath()) {
      if (ref.getPropertyName() != null) {
        if (!path.isEmpty()) {
          path.append('.');
        }
        path.append(ref.getPropertyName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.toString();
  }
}
