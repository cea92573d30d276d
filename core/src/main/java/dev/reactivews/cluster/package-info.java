/**
 * What lets several server nodes behind a load balancer behave as one: a {@link
 * dev.reactivews.cluster.Backplane} carries publishes between nodes and a {@link
 * dev.reactivews.cluster.Presence} counts peers across them. Both default to a single node;
 * the {@code redis} module implements them on Redis.
 */
@NullMarked
package dev.reactivews.cluster;

import org.jspecify.annotations.NullMarked;
