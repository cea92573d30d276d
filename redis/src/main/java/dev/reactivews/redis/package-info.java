/**
 * Several reactive-ws server nodes as one, on Redis: start at {@link
 * dev.reactivews.redis.ReactiveWsRedis}.
 */
package dev.reactivews.redis;
