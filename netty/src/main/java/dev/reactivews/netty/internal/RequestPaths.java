package dev.reactivews.netty.internal;

import io.netty.handler.codec.http.QueryStringDecoder;

/** The decoded path of a request target. */
final class RequestPaths {
  private RequestPaths() {}

  /** The path without the query, or null when the target's escapes are malformed ({@code /%zz}). */
  static String pathOf(String uri) {
    try {
      return new QueryStringDecoder(uri).path();
    } catch (IllegalArgumentException malformed) {
      return null;
    }
  }
}
