package dev.reactivews.validation;

import dev.reactivews.WsException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A message did not match its schema. Thrown from a hook, it is answered to the peer as an error
 * frame of code {@code invalid_message} that lists every issue; the connection stays open. It is
 * the client's mistake, not a bug, so it carries no stack trace.
 */
public final class ValidationException extends WsException {
  private final List<Issue> issues;

  public ValidationException(List<Issue> issues) {
    super(describe(issues), false);
    this.issues = List.copyOf(issues);
  }

  /** Every issue found, at least one. */
  public List<Issue> issues() {
    return issues;
  }

  private static String describe(List<Issue> issues) {
    return "Invalid message: " + issues.stream()
        .map(i -> i.path().isEmpty() ? i.message() : i.path() + ": " + i.message())
        .collect(Collectors.joining("; "));
  }
}
