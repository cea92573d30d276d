package dev.reactivews.transport;

import dev.reactivews.WsConfig;
import dev.reactivews.internal.ClassPathFiles;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

/**
 * What every transport serves beside the WebSocket: the browser client, read from the class
 * path, and the public part of the config that the client reads to find the route and topics.
 */
public final class ClientResources {
  /** Every path under it is the framework's. */
  public static final String PATH_PREFIX = "/_reactive-ws/";
  /** Where the browser client (an ES module) is served. */
  public static final String CLIENT_PATH = PATH_PREFIX + "client.js";
  /** Where {@code {"route":..., "topics":{"defaults":[...], "internals":[...]}}} is served. */
  public static final String CONFIG_PATH = PATH_PREFIX + "config.json";
  /** The class-path folder that holds the client's files ({@code clients/js/src}, packed into core's jar). */
  public static final String CLASSPATH_FOLDER = "META-INF/reactive-ws/client/";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ClientResources() {}

  /**
   * The class-path resource a path under {@link #PATH_PREFIX} names, or null when it names none
   * or tries to leave the client's folder.
   */
  public static @Nullable String resourceFor(String path) {
    if (!path.startsWith(PATH_PREFIX) || !ClassPathFiles.isSafePath(path)) {
      return null;
    }
    return CLASSPATH_FOLDER + path.substring(PATH_PREFIX.length());
  }

  /** The JSON served at {@link #CONFIG_PATH}: nothing but the route and the topics. */
  public static byte[] publicConfig(WsConfig config) {
    try {
      return MAPPER.writeValueAsBytes(Map.of(
          "route", config.route(),
          "topics", Map.of("defaults", config.defaultTopics(), "internals", config.internalTopics())));
    } catch (JacksonException e) {
      throw new IllegalStateException("cannot encode the public config", e);
    }
  }
}
