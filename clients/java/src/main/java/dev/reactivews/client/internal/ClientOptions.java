package dev.reactivews.client.internal;

import dev.reactivews.client.Heartbeat;
import dev.reactivews.client.ReconnectPolicy;
import java.lang.reflect.Type;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.ObjectMapper;

/**
 * What {@link dev.reactivews.client.ReactiveWsClient.Builder} collected, checked and copied.
 *
 * @param url the WebSocket URL, query included
 * @param configUrl where the server's public config is
 * @param internals the internal topics given by the app; null to learn them from the server
 * @param defaults the default topics given by the app; null to learn them from the server
 * @param deltas whether the client speaks versions, patches and resuming
 */
public record ClientOptions(
    URI url,
    URI configUrl,
    List<String> topics,
    Map<String, Type> bindings,
    Map<String, List<String>> headers,
    List<String> protocols,
    boolean immediate,
    ReconnectPolicy reconnect,
    Heartbeat heartbeat,
    boolean autoClose,
    Set<String> internals,
    Set<String> defaults,
    int bufferLimit,
    boolean deltas,
    Duration connectTimeout,
    ObjectMapper mapper) {}
