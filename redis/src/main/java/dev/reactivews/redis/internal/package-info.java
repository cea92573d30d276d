/** How the Redis module works inside; apps never need it. */
package dev.reactivews.redis.internal;
