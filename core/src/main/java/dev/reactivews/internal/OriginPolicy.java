package dev.reactivews.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Decides which browser pages may open a WebSocket (see {@link
 * dev.reactivews.WsConfig#allowedOrigins()}): a page of the server's own origin, one the
 * allow-list names, and every client that sends no {@code Origin} (browsers always send it, so
 * a missing one is not a cross-site page). Without it, a page on any site could open a socket
 * with the visitor's cookies and act as the visitor.
 */
public final class OriginPolicy {
  private final boolean allowsAll;
  private final List<Origin> exact = new ArrayList<>();
  /** Entries {@code scheme://*.domain[:port]}, kept with the leading {@code *} dropped from the host. */
  private final List<Origin> subdomainsOf = new ArrayList<>();

  /** An origin, lower-cased, with the port its scheme implies when none is written. */
  private record Origin(String scheme, String host, int port) {}

  OriginPolicy(Set<String> allowedOrigins) {
    boolean all = false;
    for (String entry : allowedOrigins) {
      if (entry.equals("*")) {
        all = true;
        continue;
      }
      Origin origin = parse(entry);
      if (origin == null || (origin.host().contains("*") && !isSubdomainPattern(origin.host()))) {
        throw new IllegalArgumentException(
            "not an origin (scheme://host[:port], scheme://*.domain[:port] or *): '" + entry + "'");
      }
      if (origin.host().startsWith("*.")) {
        subdomainsOf.add(new Origin(origin.scheme(), origin.host().substring(1), origin.port()));
      } else {
        exact.add(origin);
      }
    }
    this.allowsAll = all;
  }

  /** {@code *.domain}: one leading wildcard label and no other. */
  private static boolean isSubdomainPattern(String host) {
    return host.startsWith("*.") && host.length() > 2 && host.indexOf('*', 1) < 0;
  }

  /** Checks an allow-list entry; throws {@link IllegalArgumentException} for one that can never match. */
  public static void check(Set<String> allowedOrigins) {
    new OriginPolicy(allowedOrigins);
  }

  /**
   * Whether a handshake with this {@code Origin} header (null when absent) and this {@code Host}
   * header (null when absent) may open. {@code Origin: null}, what sandboxed frames and local
   * files send, passes only when every origin is allowed.
   */
  boolean allows(String originHeader, String hostHeader) {
    if (originHeader == null || allowsAll) {
      return true;
    }
    Origin origin = parse(originHeader.trim());
    if (origin == null || origin.host().contains("*")) {
      return false;
    }
    if (isSameOrigin(origin, hostHeader)) {
      return true;
    }
    if (exact.contains(origin)) {
      return true;
    }
    for (Origin parent : subdomainsOf) {
      if (parent.scheme().equals(origin.scheme()) && parent.port() == origin.port()
          && origin.host().endsWith(parent.host()) && origin.host().length() > parent.host().length()) {
        return true;
      }
    }
    return false;
  }

  /**
   * The {@code Host} the client connected to names the page's host and port; a {@code Host}
   * without a port stands for the default port of the page's scheme.
   */
  private static boolean isSameOrigin(Origin origin, String hostHeader) {
    if (hostHeader == null || !(origin.scheme().equals("http") || origin.scheme().equals("https"))) {
      return false;
    }
    String[] hostAndPort = splitHostPort(hostHeader.trim().toLowerCase(Locale.ROOT));
    if (hostAndPort == null || !hostAndPort[0].equals(origin.host())) {
      return false;
    }
    int port = hostAndPort[1] == null ? defaultPort(origin.scheme()) : parsePort(hostAndPort[1]);
    return port == origin.port();
  }

  /** Null for what is not {@code scheme://host[:port]}, such as {@code null} or a URL with a path. */
  private static Origin parse(String text) {
    int separator = text.indexOf("://");
    if (separator <= 0) {
      return null;
    }
    String scheme = text.substring(0, separator).toLowerCase(Locale.ROOT);
    String[] hostAndPort = splitHostPort(text.substring(separator + 3).toLowerCase(Locale.ROOT));
    if (hostAndPort == null || hostAndPort[0].isEmpty() || hostAndPort[0].contains("/")) {
      return null;
    }
    int port = hostAndPort[1] == null ? defaultPort(scheme) : parsePort(hostAndPort[1]);
    if (port < 0 && hostAndPort[1] != null) {
      return null;
    }
    return new Origin(scheme, hostAndPort[0], port);
  }

  /** {host, port or null}; an IPv6 host keeps its brackets. Null when malformed. */
  private static String[] splitHostPort(String authority) {
    if (authority.startsWith("[")) {
      int end = authority.indexOf(']');
      if (end < 0) {
        return null;
      }
      String rest = authority.substring(end + 1);
      if (rest.isEmpty()) {
        return new String[] {authority, null};
      }
      return rest.startsWith(":") ? new String[] {authority.substring(0, end + 1), rest.substring(1)} : null;
    }
    int colon = authority.lastIndexOf(':');
    if (colon < 0) {
      return new String[] {authority, null};
    }
    return new String[] {authority.substring(0, colon), authority.substring(colon + 1)};
  }

  /** -1 for what is not a port number. */
  private static int parsePort(String text) {
    if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return -1;
    }
    int port = Integer.parseInt(text);
    return port <= 65535 ? port : -1;
  }

  /** -1 for a scheme without one; such origins match only what is written out the same. */
  private static int defaultPort(String scheme) {
    return switch (scheme) {
      case "http", "ws" -> 80;
      case "https", "wss" -> 443;
      default -> -1;
    };
  }
}
