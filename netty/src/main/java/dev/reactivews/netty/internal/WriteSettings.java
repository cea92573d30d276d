package dev.reactivews.netty.internal;

import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** What the connections of one server share for writing. */
final class WriteSettings {
  /** What a peer may leave unread before it counts as slow; see {@link NettySocket}. */
  final int outboundBufferBytes;
  /** How long a busy event loop may hold a write back for more frames to join it; 0: never. */
  final long maxWriteDelayNanos;

  final WireFrames wireFrames;
  private final ConcurrentMap<EventLoop, WriteLoad> loads = new ConcurrentHashMap<>();

  WriteSettings(int outboundBufferBytes, Duration maxWriteDelay, WireFrames wireFrames) {
    this.outboundBufferBytes = outboundBufferBytes;
    this.maxWriteDelayNanos = maxWriteDelay.toNanos();
    this.wireFrames = wireFrames;
  }

  WriteLoad load(EventLoop loop) {
    return loads.computeIfAbsent(loop, l -> new WriteLoad());
  }
}
