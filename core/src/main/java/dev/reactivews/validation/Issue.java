package dev.reactivews.validation;

/**
 * One reason a value failed validation.
 *
 * @param path where in the value, as a dotted path ({@code payload.text}, {@code items[2].id});
 *     empty for the value itself
 * @param message what is wrong, for a human
 */
public record Issue(String path, String message) {}
