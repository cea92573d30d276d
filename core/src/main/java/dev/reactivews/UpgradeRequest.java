package dev.reactivews;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The HTTP request that opened a WebSocket: what {@link WsHandler#upgrade} inspects, and what
 * {@link Peer#request()} keeps. What the upgrade puts in its {@link #context()} is the peer's
 * {@link Peer#context()}.
 *
 * <p>The upgrade hook sees every header. Once it has returned, the request keeps only the headers
 * named in {@link WsConfig#keptHeaders()} (none by default; name {@code Cookie} to keep the
 * cookies): a peer lives long, and most of what a browser sends is of no use after the
 * handshake. The URI, query, remote address and context stay.
 */
public final class UpgradeRequest {
  private static final String[] NO_HEADERS = {};

  private final URI uri;
  /**
   * Name, value, name, value...: a peer keeps its request as long as it lives, and a flat array
   * costs a fraction of a map of lists (idle connections are mostly this).
   */
  private volatile String[] headerPairs;

  private final InetSocketAddress remoteAddress;
  private final Map<String, Object> context = new ConcurrentHashMap<>();
  /** Parsed on first use; peers share their request between threads, and two racing parses agree. */
  private volatile @Nullable Map<String, List<String>> query;

  private volatile @Nullable Map<String, String> cookies;

  /** Built from {@link #headerPairs} on first use. */
  private volatile @Nullable Map<String, List<String>> headers;

  /**
   * Made by a transport. Header names are matched ignoring case.
   *
   * @param uri the request target, path and query
   */
  public UpgradeRequest(URI uri, Map<String, List<String>> headers, InetSocketAddress remoteAddress) {
    this(uri, headers.entrySet().stream()
        .flatMap(header -> header.getValue().stream().map(value -> Map.entry(header.getKey(), value)))
        .toList(), remoteAddress);
  }

  /**
   * Made by a transport from the headers as they came, one name and value each, in order (a
   * name may repeat). Header names are matched ignoring case.
   *
   * @param uri the request target, path and query
   */
  public UpgradeRequest(URI uri, Iterable<? extends Map.Entry<String, String>> headers, InetSocketAddress remoteAddress) {
    this.uri = Objects.requireNonNull(uri, "uri == null");
    List<String> pairs = new ArrayList<>();
    for (Map.Entry<String, String> header : headers) {
      pairs.add(Objects.requireNonNull(header.getKey(), "header name == null"));
      pairs.add(Objects.requireNonNull(header.getValue(), "header value == null"));
    }
    this.headerPairs = pairs.toArray(String[]::new);
    this.remoteAddress = Objects.requireNonNull(remoteAddress, "remoteAddress == null");
  }

  /** The request target as sent, path and query. */
  public URI uri() {
    return uri;
  }

  /** The path of the request, without the query. */
  public String path() {
    return uri.getPath();
  }

  /** The first value of the header, or null if it is absent. */
  public @Nullable String header(String name) {
    for (int i = 0; i < headerPairs.length; i += 2) {
      if (headerPairs[i].equalsIgnoreCase(name)) {
        return headerPairs[i + 1];
      }
    }
    return null;
  }

  /** Every header, names ignoring case. */
  public Map<String, List<String>> headerMap() {
    if (headers == null) {
      headers = collectHeaders(headerPairs);
    }
    return headers;
  }

  /** The first value of the query parameter, or null if it is absent. */
  public @Nullable String query(String name) {
    List<String> values = queryMap().get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /** Every query parameter, decoded. */
  public Map<String, List<String>> queryMap() {
    if (query == null) {
      query = parseQuery(uri.getRawQuery());
    }
    return query;
  }

  /** The value of the cookie, or null if the request has none of that name. */
  public @Nullable String cookie(String name) {
    return cookieMap().get(name);
  }

  /** Every cookie of the {@code Cookie} headers. */
  public Map<String, String> cookieMap() {
    if (cookies == null) {
      cookies = parseCookies(headerValues("cookie"));
    }
    return cookies;
  }

  /** The address of the client as this server sees it (a proxy's, behind one). */
  public InetSocketAddress remoteAddress() {
    return remoteAddress;
  }

  /**
   * Puts a value in the peer's context ({@link Peer#context()} is this map): the user the
   * upgrade hook authenticated, say.
   */
  public UpgradeRequest context(String key, Object value) {
    context.put(Objects.requireNonNull(key, "key == null"), Objects.requireNonNull(value, "value == null"));
    return this;
  }

  /** The context set so far, which becomes the peer's; live and thread-safe, also after the upgrade. */
  public Map<String, Object> context() {
    return context;
  }

  /**
   * Drops every header but those named (ignoring case), and what was parsed from the others.
   * The engine calls it with {@link WsConfig#keptHeaders()} once the upgrade hook has returned.
   */
  public void keepOnlyHeaders(Set<String> names) {
    Objects.requireNonNull(names, "names == null");
    // Every handshake comes through here: two passes over the few names spare it a set and a
    // list, and an array of them an iterator for every header.
    String[] wanted = names.toArray(NO_HEADERS);
    String[] pairs = headerPairs;
    int keptValues = 0;
    for (int i = 0; i < pairs.length; i += 2) {
      if (containsIgnoringCase(wanted, pairs[i])) {
        keptValues++;
      }
    }
    String[] keptPairs = keptValues == 0 ? NO_HEADERS : new String[2 * keptValues];
    int next = 0;
    for (int i = 0; i < pairs.length; i += 2) {
      if (containsIgnoringCase(wanted, pairs[i])) {
        keptPairs[next++] = pairs[i];
        keptPairs[next++] = pairs[i + 1];
      }
    }
    headerPairs = keptPairs;
    headers = null;
    cookies = null;
  }

  private static boolean containsIgnoringCase(String[] names, String name) {
    for (String candidate : names) {
      if (candidate.equalsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }

  /** Every value of the header, in the order sent; no map is built, so none is kept. */
  private List<String> headerValues(String name) {
    List<String> values = new ArrayList<>();
    for (int i = 0; i < headerPairs.length; i += 2) {
      if (headerPairs[i].equalsIgnoreCase(name)) {
        values.add(headerPairs[i + 1]);
      }
    }
    return values;
  }

  private static Map<String, List<String>> collectHeaders(String[] pairs) {
    Map<String, List<String>> result = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (int i = 0; i < pairs.length; i += 2) {
      result.computeIfAbsent(pairs[i], k -> new ArrayList<>()).add(pairs[i + 1]);
    }
    result.replaceAll((name, values) -> List.copyOf(values));
    return Collections.unmodifiableMap(result);
  }

  private static Map<String, List<String>> parseQuery(@Nullable String rawQuery) {
    Map<String, List<String>> result = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return Map.of();
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      result.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
    result.replaceAll((name, values) -> List.copyOf(values));
    return Collections.unmodifiableMap(result);
  }

  private static String decode(String part) {
    try {
      return URLDecoder.decode(part, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException malformed) {
      return part;
    }
  }

  private static Map<String, String> parseCookies(List<String> headerValues) {
    Map<String, String> result = new LinkedHashMap<>();
    for (String header : headerValues) {
      for (String pair : header.split(";")) {
        int eq = pair.indexOf('=');
        String name = eq < 0 ? "" : pair.substring(0, eq).trim();
        if (name.isEmpty()) {
          continue;
        }
        String value = pair.substring(eq + 1).trim();
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
          value = value.substring(1, value.length() - 1);
        }
        result.putIfAbsent(name, value);
      }
    }
    return Collections.unmodifiableMap(result);
  }

  @Override
  public String toString() {
    return "UpgradeRequest{" + uri + " from " + remoteAddress + "}";
  }
}
