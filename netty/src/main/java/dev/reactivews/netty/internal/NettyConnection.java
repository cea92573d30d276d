package dev.reactivews.netty.internal;

import dev.reactivews.CloseEvent;
import dev.reactivews.WsCloseStatus;
import dev.reactivews.transport.Connection;
import dev.reactivews.transport.OutboundFrame;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.util.concurrent.ScheduledFuture;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket channel as the engine sees it.
 *
 * <p>Writes from any thread join a list that one task on the channel's event loop drains:
 * every frame waiting goes into one socket write, however many there are, so a fan-out costs a
 * connection one task and one system call per turn of its loop, not one per frame. While the
 * loop is busy (see {@link WriteLoad}), a connection whose last write was small and less than
 * the write delay ago waits for the rest of that delay, so more frames share its next write.
 *
 * <p>A peer is slow when, as the loop comes to write for it, more than the outbound bound of
 * what it was already sent still waits for it to read; it is closed with 4008 and what is
 * queued is dropped. A peer that keeps up gets any burst, even of messages larger than the
 * bound; only past {@value #HARD_BOUND_FACTOR} times the bound queued is it closed at once, so
 * that memory stays bounded when frames come faster than the loop writes them.
 */
final class NettyConnection implements Connection {
  /** How long a close frame may take to get through before the socket is closed anyway. */
  private static final long CLOSE_GRACE_MILLIS = 1000;
  /** Past this many times the bound queued, a peer is closed when a frame comes. */
  private static final int HARD_BOUND_FACTOR = 64;
  /**
   * A write smaller than this costs mostly its system call: a connection whose last write was
   * this small holds the next one back while its loop is busy.
   */
  private static final int SMALL_WRITE_BYTES = 4096;
  /** Frames are copied into buffers of about this size, one system call carrying several. */
  private static final int WRITE_BUFFER_BYTES = 64 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(NettyConnection.class);
  private static final int NO_STATUS = 1005;
  private static final VarHandle PENDING;

  static {
    try {
      PENDING = MethodHandles.lookup().findVarHandle(NettyConnection.class, "pending", Pending.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Channel channel;
  /**
   * Where frames enter the pipeline: below the WebSocket frame encoder, since they are
   * encoded already, and so past the handlers above it that have nothing to do with them.
   */
  private final ChannelHandlerContext frameEncoder;

  private final EventLoop loop;
  private final WriteSettings settings;
  private final WriteLoad load;
  /** Whether the peer negotiated permessage-deflate: frames sent with compress go deflated. */
  private final boolean deflate;

  /**
   * The frames waiting for a drain, newest first; null when none waits. A drain is scheduled
   * exactly when it stops being null: so one compare-and-set is a frame's whole way in.
   */
  private volatile Pending pending;

  private final Runnable drain = this::drain;
  /** When the last drain started; 0 before the first one. */
  private volatile long lastDrainNanos;
  /** What the last drain wrote. */
  private volatile long lastDrainBytes;

  /** Set once a close is asked for: no new frame is accepted from then on. */
  private final AtomicBoolean closing = new AtomicBoolean();
  /** Event loop only: once the close frame is written, nothing more goes out. */
  private boolean closeFrameWritten;
  /** The code of the close frame that ended the connection, whoever sent it; 1006 until then. */
  private volatile CloseEvent closeEvent = new CloseEvent(CloseEvent.ABNORMAL, "");

  NettyConnection(ChannelHandlerContext frameEncoder, WriteSettings settings, boolean deflate) {
    this.channel = frameEncoder.channel();
    this.frameEncoder = frameEncoder;
    this.loop = channel.eventLoop();
    this.settings = settings;
    this.load = settings.load(loop);
    this.deflate = deflate;
  }

  /** A frame waiting, on top of those that came before it. */
  private static final class Pending {
    final OutboundFrame frame;
    /** What this frame takes on the wire. */
    final int size;
    /** The frame before it, set before this one is published; the drain turns the links around. */
    Pending next;
    /** What this frame and those under it take on the wire. */
    long queuedBytes;

    Pending(OutboundFrame frame, int size) {
      this.frame = frame;
      this.size = size;
    }
  }

  @Override
  public boolean write(OutboundFrame frame) {
    if (closing.get()) {
      return false;
    }
    // Deflating here, on the first connection's write, keeps that work off the event loops.
    Pending added = new Pending(frame, settings.wireFrames.encodedLength(frame, deflate));
    long hardBound = (long) HARD_BOUND_FACTOR * settings.outboundBufferBytes;
    Pending top;
    do {
      top = pending;
      added.next = top;
      added.queuedBytes = (top == null ? 0 : top.queuedBytes) + added.size;
      // What the socket has not taken is bounded by the check each drain makes: leaving it out
      // here spares every write a read of what the event loop keeps changing.
      if (top != null && added.queuedBytes > hardBound) {
        closeSlow();
        return false;
      }
    } while (!PENDING.compareAndSet(this, top, added));
    if (top == null) {
      scheduleDrain();
    }
    return true;
  }

  private void scheduleDrain() {
    boolean hold = settings.maxWriteDelayNanos > 0 && lastDrainBytes < SMALL_WRITE_BYTES && load.busy();
    long wait = hold ? lastDrainNanos + settings.maxWriteDelayNanos - System.nanoTime() : 0;
    try {
      if (wait > 0) {
        loop.schedule(drain, wait, TimeUnit.NANOSECONDS);
      } else {
        loop.execute(drain);
      }
    } catch (RejectedExecutionException e) {
      LOG.debug("event loop stopped: frames to {} dropped", channel.remoteAddress());
    }
  }

  /** What the socket has not taken yet of what was written to it. */
  private long unreadBytes() {
    ChannelOutboundBuffer unread = channel.unsafe().outboundBuffer();
    return unread == null ? 0 : unread.totalPendingWriteBytes();
  }

  /**
   * On the event loop: takes every frame waiting, writes them in as few buffers as they fit, and
   * flushes once. Frames that come meanwhile have the next drain scheduled for them.
   */
  private void drain() {
    Pending taken = (Pending) PENDING.getAndSet(this, null);
    long now = System.nanoTime();
    lastDrainNanos = now;
    if (taken == null || closeFrameWritten || !channel.isActive()) {
      return;
    }
    if (unreadBytes() > settings.outboundBufferBytes) {
      closeSlow();
      return;
    }
    long total = taken.queuedBytes;
    long left = total;
    int frames = 0;
    ByteBuf buffer = null;
    for (Pending frame = oldestFirst(taken); frame != null; frame = frame.next) {
      if (buffer != null && buffer.writableBytes() < frame.size) {
        frameEncoder.write(buffer, channel.voidPromise());
        buffer = null;
      }
      if (buffer == null) {
        buffer = channel.alloc().directBuffer(Math.max(frame.size, (int) Math.min(left, WRITE_BUFFER_BYTES)));
      }
      settings.wireFrames.encode(buffer, frame.frame, deflate);
      left -= frame.size;
      frames++;
    }
    frameEncoder.writeAndFlush(buffer, channel.voidPromise());
    lastDrainBytes = total;
    load.wrote(frames, now);
  }

  private static Pending oldestFirst(Pending newestFirst) {
    Pending reversed = null;
    Pending rest = newestFirst;
    while (rest != null) {
      Pending next = rest.next;
      rest.next = reversed;
      reversed = rest;
      rest = next;
    }
    return reversed;
  }

  /** Drops what waits and closes with 4008 at once: a slow peer is not waited for. */
  private void closeSlow() {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    LOG.info("closing {}: its outbound buffer is full", channel.remoteAddress());
    int code = WsCloseStatus.SLOW_CONSUMER.code();
    closeEvent = new CloseEvent(code, "outbound buffer full");
    PENDING.set(this, null);
    onLoop(() -> writeCloseFrame(code, "outbound buffer full"));
  }

  /** Every frame accepted before the close goes out ahead of the close frame. */
  @Override
  public void close(int code, String reason) {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    closeEvent = new CloseEvent(code, reason);
    onLoop(() -> {
      drain();
      writeCloseFrame(code, reason);
    });
  }

  private void onLoop(Runnable task) {
    if (loop.inEventLoop()) {
      task.run();
      return;
    }
    try {
      loop.execute(task);
    } catch (RejectedExecutionException e) {
      LOG.debug("event loop stopped: {} closed without a close frame", channel.remoteAddress());
    }
  }

  private void writeCloseFrame(int code, String reason) {
    if (closeFrameWritten) {
      return;
    }
    closeFrameWritten = true;
    PENDING.set(this, null);
    channel.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(ChannelFutureListener.CLOSE);
    // A peer that never lets the close frame through is cut off; the timer must not keep a
    // channel that closed in time alive for its whole delay.
    ScheduledFuture<?> grace = loop.schedule(() -> channel.close(), CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    channel.closeFuture().addListener(closed -> grace.cancel(false));
  }

  /**
   * The peer sent a close frame: remember why, answer it and close. {@code code} is -1 when the
   * frame carried none, reported as 1005 (RFC 6455 7.1.5).
   */
  void closedByPeer(int code, String reason) {
    if (!closing.compareAndSet(false, true)) {
      channel.close();
      return;
    }
    closeFrameWritten = true;
    boolean hasCode = code >= 1000;
    closeEvent = new CloseEvent(hasCode ? code : NO_STATUS, reason);
    CloseWebSocketFrame answer = hasCode ? new CloseWebSocketFrame(code, "") : new CloseWebSocketFrame();
    channel.writeAndFlush(answer).addListener(ChannelFutureListener.CLOSE);
  }

  CloseEvent closeEvent() {
    return closeEvent;
  }

  @Override
  public boolean isOpen() {
    return !closing.get() && channel.isActive();
  }
}
