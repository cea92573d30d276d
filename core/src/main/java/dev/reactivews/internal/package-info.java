/** The engine behind the public API: peers, topics, the per-peer queues, the protocol. Not an API. */
package dev.reactivews.internal;
