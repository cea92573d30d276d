package dev.reactivews.client;

import org.jspecify.annotations.Nullable;

/**
 * Everything a {@link ReactiveWsClient} shows at one moment, immutable: read it from any thread.
 *
 * @param status the connection's status
 * @param states the latest payload per topic
 * @param data the latest message that was not a topic state; null before the first one
 */
public record Snapshot(Status status, States states, @Nullable Data data) {}
