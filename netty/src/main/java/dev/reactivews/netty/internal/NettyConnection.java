package dev.reactivews.netty.internal;

import dev.reactivews.CloseEvent;
import dev.reactivews.WsCloseStatus;
import dev.reactivews.transport.Connection;
import dev.reactivews.transport.OutboundFrame;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One WebSocket channel as the engine sees it. */
final class NettyConnection implements Connection {
  /** How long a close frame may take to get through before the socket is closed anyway. */
  private static final long CLOSE_GRACE_MILLIS = 1000;

  private static final Logger LOG = LoggerFactory.getLogger(NettyConnection.class);
  private static final int NO_STATUS = 1005;

  private final Channel channel;
  private final AtomicBoolean closing = new AtomicBoolean();
  /** The code of the close frame that ended the connection, whoever sent it; 1006 until then. */
  private volatile CloseEvent closeEvent = new CloseEvent(CloseEvent.ABNORMAL, "");

  /** The channel's high write-buffer water mark must be the outbound buffer bound. */
  NettyConnection(Channel channel) {
    this.channel = channel;
  }

  @Override
  public boolean write(OutboundFrame frame) {
    if (closing.get() || !channel.isActive()) {
      return false;
    }
    EventLoop loop = channel.eventLoop();
    if (loop.inEventLoop()) {
      writeNow(frame);
    } else {
      loop.execute(() -> writeNow(frame));
    }
    return true;
  }

  /**
   * On the event loop, the channel's writability counts only what the socket has not taken yet
   * (a write submitted from another thread would count as pending until the loop ran it): so a
   * peer is closed for what it failed to read, never for a message larger than the bound.
   */
  private void writeNow(OutboundFrame frame) {
    if (closing.get()) {
      return;
    }
    if (!channel.isWritable()) {
      LOG.info("closing {}: its outbound buffer is full", channel.remoteAddress());
      close(WsCloseStatus.SLOW_CONSUMER.code(), "outbound buffer full");
      return;
    }
    channel.writeAndFlush(CompressibleFrames.of(frame), channel.voidPromise());
  }

  @Override
  public void close(int code, String reason) {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    closeEvent = new CloseEvent(code, reason);
    channel.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(ChannelFutureListener.CLOSE);
    channel.eventLoop().schedule(() -> channel.close(), CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
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
