package dev.reactivews.state;

/** What a state topic holds, which decides the changes that cost O(1). */
public enum StateKind {
  /** A JSON array: an append costs O(1). */
  LIST,
  /** A JSON object: a put or a remove of one key costs O(1). */
  MAP,
  /** Any JSON value, changed as a whole. */
  VALUE
}
