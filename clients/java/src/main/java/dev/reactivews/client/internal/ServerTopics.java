package dev.reactivews.client.internal;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/** The server's default and internal topics, from its public {@code /_reactive-ws/config.json}. */
record ServerTopics(Set<String> defaults, Set<String> internals) {
  /** What a server that has no reactive-ws config (a plain nuxt-ws or other server) gives. */
  static final ServerTopics NONE = new ServerTopics(Set.of(), Set.of());

  private static final Logger LOG = LoggerFactory.getLogger(ServerTopics.class);

  /**
   * Asks the server: its topics; {@link #NONE} when it answered without a config (it is not
   * asked again); null when it could not be reached (it is asked on the next attempt).
   */
  static CompletableFuture<ServerTopics> load(HttpClient http, ClientOptions options, Protocol protocol, String client) {
    HttpRequest.Builder request = HttpRequest.newBuilder(options.configUrl())
        .timeout(options.connectTimeout())
        .header("Accept", "application/json")
        .GET();
    options.headers().forEach((header, values) -> values.forEach(value -> request.header(header, value)));
    return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()).handle((response, error) -> {
      if (error != null) {
        // Most often the server is down, which the handshake reports next.
        LOG.debug("{}: could not load {} ({})", client, options.configUrl(), error.toString());
        return null;
      }
      ServerTopics loaded = response.statusCode() == 200 ? parse(protocol.parse(response.body())) : null;
      if (loaded == null) {
        LOG.info("{}: {} answered {} without a reactive-ws config: no internal topics known", client,
            options.configUrl(), response.statusCode());
        return NONE;
      }
      return loaded;
    });
  }

  /** {@code {"route":..., "topics":{"defaults":[...], "internals":[...]}}}, or null when it is not that. */
  private static ServerTopics parse(JsonNode config) {
    if (config == null || !config.path("topics").isObject()) {
      return null;
    }
    return new ServerTopics(stringSet(config.path("topics").path("defaults")), stringSet(config.path("topics").path("internals")));
  }

  private static Set<String> stringSet(JsonNode array) {
    Set<String> strings = new HashSet<>();
    for (JsonNode item : array) {
      if (item.isString()) {
        strings.add(item.stringValue());
      }
    }
    return Set.copyOf(strings);
  }
}
