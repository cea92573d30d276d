package dev.reactivews.netty.internal;

import dev.reactivews.CloseEvent;
import dev.reactivews.WsCloseStatus;
import dev.reactivews.transport.OutboundFrame;
import dev.reactivews.transport.TransportPolicy;
import dev.reactivews.transport.WsSocket;
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
import org.jspecify.annotations.Nullable;
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
 * <p>A close sends every frame accepted before it, then the close frame; a write that comes
 * after the close is refused. A peer is slow when, as the loop comes to write for it, more than
 * the outbound bound of what it was already sent still waits for it to read; it is closed with
 * 4008 and what waits for it is dropped. A peer that keeps up gets any burst, even of messages larger than the
 * bound; only past {@link TransportPolicy#HARD_BOUND_FACTOR} times the bound queued is it closed at once, so
 * that memory stays bounded when frames come faster than the loop writes them.
 */
final class NettySocket implements WsSocket {
  /**
   * A write smaller than this costs mostly its system call: a connection whose last write was
   * this small holds the next one back while its loop is busy.
   */
  private static final int SMALL_WRITE_BYTES = 4096;
  /** Frames are copied into buffers of about this size, one system call carrying several. */
  private static final int WRITE_BUFFER_BYTES = 64 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(NettySocket.class);
  private static final int NO_STATUS = 1005;
  private static final VarHandle PENDING;

  static {
    try {
      PENDING = MethodHandles.lookup().findVarHandle(NettySocket.class, "pending", Object.class);
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

  /** What {@link #pending} holds for good once the connection closes: writes are refused. */
  private static final Pending CLOSED = new Pending(null, false, 0);

  /**
   * The frames waiting for a drain: null when none waits; the {@link OutboundFrame} itself when
   * one data frame waits, the usual case of a fan-out, which then costs no node; else a {@link
   * Pending} chain, newest first; {@link #CLOSED} once closing. A drain is scheduled exactly when
   * it stops being null, so one compare-and-set is a frame's whole way in; the close takes what
   * waits in the same swap that stops further writes.
   */
  private volatile Object pending;

  private final Runnable drain = this::drain;
  /** When the last drain started; 0 before the first one. */
  private volatile long lastDrainNanos;
  /** What the last drain wrote. */
  private volatile long lastDrainBytes;

  /** What every connection reports until a close frame says otherwise; one for all, as it never changes. */
  private static final CloseEvent NO_CLOSE_FRAME = new CloseEvent(CloseEvent.ABNORMAL, "");

  /** The code of the close frame that ended the connection, whoever sent it; 1006 until then. */
  private volatile CloseEvent closeEvent = NO_CLOSE_FRAME;

  NettySocket(ChannelHandlerContext frameEncoder, WriteSettings settings, boolean deflate) {
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
    /** Whether it is a pong answering the peer's ping, rather than a data frame. */
    final boolean pong;
    /** What this frame takes on the wire. */
    final int size;
    /** The frame before it, set before this one is published; the drain turns the links around. */
    Pending next;
    /** What this frame and those under it take on the wire. */
    long queuedBytes;

    Pending(OutboundFrame frame, boolean pong, int size) {
      this.frame = frame;
      this.pong = pong;
      this.size = size;
    }
  }

  @Override
  public boolean write(OutboundFrame frame) {
    if (pending == CLOSED) {
      return false;
    }
    // Deflating here, on the first connection's write, keeps that work off the event loops.
    return enqueue(frame, false, settings.wireFrames.encodedLength(frame, deflate));
  }

  /**
   * Queues a pong that answers the peer's ping with its payload, in line with the other frames
   * and under the same bound: a peer that pings and never reads is closed as slow.
   */
  boolean pong(byte[] payload) {
    return enqueue(new OutboundFrame(payload, false, false), true, WireFrames.pongLength(payload));
  }

  private boolean enqueue(OutboundFrame frame, boolean pong, int size) {
    long hardBound = (long) TransportPolicy.HARD_BOUND_FACTOR * settings.outboundBufferBytes;
    Pending added = null;
    Object top;
    Object replacement;
    do {
      top = pending;
      if (top == CLOSED) {
        return false;
      }
      if (top == null && !pong) {
        replacement = frame;
      } else {
        if (added == null) {
          added = new Pending(frame, pong, size);
        }
        Pending under = asChain(top);
        added.next = under;
        added.queuedBytes = (under == null ? 0 : under.queuedBytes) + size;
        // What the socket has not taken is bounded by the check each drain makes: leaving it out
        // here spares every write a read of what the event loop keeps changing.
        if (under != null && added.queuedBytes > hardBound) {
          closeSlow();
          return false;
        }
        replacement = added;
      }
    } while (!PENDING.compareAndSet(this, top, replacement));
    if (top == null) {
      scheduleDrain();
    }
    return true;
  }

  /** What waits as a chain: a lone frame gets its node only once a second one joins it. */
  private @Nullable Pending asChain(@Nullable Object waiting) {
    if (waiting instanceof OutboundFrame alone) {
      Pending node = new Pending(alone, false, settings.wireFrames.encodedLength(alone, deflate));
      node.queuedBytes = node.size;
      return node;
    }
    return (Pending) waiting;
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
   * On the event loop: takes every frame waiting and writes them; frames that come meanwhile
   * have the next drain scheduled for them. A close that came first took them itself.
   */
  private void drain() {
    Object taken;
    do {
      taken = pending;
      if (taken == CLOSED) {
        return;
      }
    } while (!PENDING.compareAndSet(this, taken, null));
    long now = System.nanoTime();
    lastDrainNanos = now;
    if (!channel.isActive()) {
      return;
    }
    if (unreadBytes() > settings.outboundBufferBytes) {
      closeSlow();
      return;
    }
    if (taken instanceof OutboundFrame alone) {
      lastDrainBytes = writeAndFlush(alone);
      load.wrote(1, now);
      return;
    }
    Pending chain = (Pending) taken;
    int frames = writeAndFlush(chain);
    lastDrainBytes = chain.queuedBytes;
    load.wrote(frames, now);
  }

  /** On the event loop: writes what {@link #pending} held, a lone frame or a chain. */
  private void writeWaiting(Object waiting) {
    if (waiting instanceof OutboundFrame alone) {
      writeAndFlush(alone);
    } else {
      writeAndFlush((Pending) waiting);
    }
  }

  /** On the event loop: writes one data frame and flushes; the bytes it took. */
  private int writeAndFlush(OutboundFrame frame) {
    int size = settings.wireFrames.encodedLength(frame, deflate);
    ByteBuf buffer = channel.alloc().directBuffer(size);
    settings.wireFrames.encode(buffer, frame, deflate);
    frameEncoder.writeAndFlush(buffer, channel.voidPromise());
    return size;
  }

  /** On the event loop: writes the frames in as few buffers as they fit, flushes once; how many. */
  private int writeAndFlush(Pending newestFirst) {
    long left = newestFirst.queuedBytes;
    int frames = 0;
    ByteBuf buffer = null;
    for (Pending frame = oldestFirst(newestFirst); frame != null; frame = frame.next) {
      if (buffer != null && buffer.writableBytes() < frame.size) {
        frameEncoder.write(buffer, channel.voidPromise());
        buffer = null;
      }
      if (buffer == null) {
        buffer = channel.alloc().directBuffer(Math.max(frame.size, (int) Math.min(left, WRITE_BUFFER_BYTES)));
      }
      if (frame.pong) {
        WireFrames.encodePong(buffer, frame.frame.bytes());
      } else {
        settings.wireFrames.encode(buffer, frame.frame, deflate);
      }
      left -= frame.size;
      frames++;
    }
    frameEncoder.writeAndFlush(buffer, channel.voidPromise());
    return frames;
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

  private void closeSlow() {
    if (pending != CLOSED) {
      LOG.info("closing {}: its outbound buffer is full", channel.remoteAddress());
      close(WsCloseStatus.SLOW_CONSUMER.code(), "outbound buffer full");
    }
  }

  @Override
  public void close(int code, String reason) {
    Object accepted = PENDING.getAndSet(this, CLOSED);
    if (accepted == CLOSED) {
      return;
    }
    closeEvent = new CloseEvent(code, reason);
    boolean slow = code == WsCloseStatus.SLOW_CONSUMER.code();
    Runnable sendClose = () -> {
      if (accepted != null && !slow && channel.isActive()) {
        writeWaiting(accepted);
      }
      channel.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(ChannelFutureListener.CLOSE);
    };
    // On the loop, the close frame goes out at once: when a bad frame is why, Netty's WebSocket
    // handler closes the channel as soon as the bridge has heard of the failure.
    if (loop.inEventLoop()) {
      sendClose.run();
    } else {
      loop.execute(sendClose);
    }
    // A peer that never lets the close frame through is cut off; the timer must not keep a
    // channel that closed in time alive for its whole delay.
    ScheduledFuture<?> grace = loop.schedule(() -> channel.close(), TransportPolicy.CLOSE_GRACE.toNanos(), TimeUnit.NANOSECONDS);
    channel.closeFuture().addListener(closed -> grace.cancel(false));
  }

  /**
   * The peer sent a close frame: remember why, answer it and close. {@code code} is -1 when the
   * frame carried none, reported as 1005 (RFC 6455 7.1.5).
   */
  void closedByPeer(int code, String reason) {
    if (PENDING.getAndSet(this, CLOSED) == CLOSED) {
      channel.close();
      return;
    }
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
    return pending != CLOSED && channel.isActive();
  }
}
