/**
 * Several reactive-ws server nodes as one, on Redis: start at {@link
 * dev.reactivews.redis.ReactiveWsRedis}.
 */
@NullMarked
package dev.reactivews.redis;

import org.jspecify.annotations.NullMarked;
