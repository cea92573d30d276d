package dev.reactivews.spring.internal;

import dev.reactivews.WsCloseStatus;
import dev.reactivews.transport.OutboundFrame;
import dev.reactivews.transport.TransportPolicy;
import dev.reactivews.transport.WsSocket;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;

/**
 * One Spring WebSocket session as the engine sees it. Frames go out one at a time through the
 * container's asynchronous sends (a session takes one send at a time); the ones waiting are
 * counted against the outbound bound.
 */
final class SpringSocket implements WsSocket {
  private static final Logger LOG = LoggerFactory.getLogger(SpringSocket.class);
  /**
   * The container does not tell how much of a send the socket has taken: a send that has not
   * finished in this time means the peer stopped reading, not that the message was large.
   */
  private static final long STUCK_SEND_NANOS = 500_000_000L;

  private final WebSocketSession session;
  private final Session nativeSession;
  private final long outboundBound;
  private final FrameTexts texts;
  /** Reports the session closed to the engine, once, whoever notices first: the container or the close grace. */
  private final CloseReport closeReport;
  private final AtomicBoolean reported = new AtomicBoolean();
  private final CountDownLatch reportedClosed = new CountDownLatch(1);
  private final Queue<OutboundFrame> queue = new ConcurrentLinkedQueue<>();
  /** Bytes queued behind the send under way, not yet handed to the container. */
  private final AtomicLong queuedBytes = new AtomicLong();
  /** True while one send is with the container. */
  private final AtomicBoolean sending = new AtomicBoolean();
  /** When the send with the container started; 0 when none is. */
  private volatile long sendStartedNanos;
  /** Set once a close is asked for: no new frame is accepted from then on. */
  private final AtomicBoolean closing = new AtomicBoolean();
  /** The close to send once the queue is drained (or at once, for an abort). */
  private final AtomicReference<CloseStatus> closeStatus = new AtomicReference<>();
  private final AtomicBoolean closeSent = new AtomicBoolean();
  /** When a frame last arrived from the peer, pongs included. */
  private volatile long lastReadNanos = System.nanoTime();

  /** How the connection reports a close the container has not reported in time. */
  interface CloseReport {
    void closed(int code, String reason);
  }

  SpringSocket(WebSocketSession session, Session nativeSession, int outboundBound, FrameTexts texts,
      CloseReport closeReport) {
    this.session = session;
    this.nativeSession = nativeSession;
    this.outboundBound = outboundBound;
    this.texts = texts;
    this.closeReport = closeReport;
  }

  @Override
  public boolean write(OutboundFrame frame) {
    if (closing.get()) {
      return false;
    }
    long queued = queuedBytes.addAndGet(frame.bytes().length);
    if (queued > outboundBound && isStuck(queued)) {
      queuedBytes.addAndGet(-frame.bytes().length);
      LOG.info("closing {}: its outbound buffer is full", session.getRemoteAddress());
      abort(WsCloseStatus.SLOW_CONSUMER.code(), "outbound buffer full");
      return false;
    }
    queue.add(frame);
    sendQueued();
    return true;
  }

  private boolean isStuck(long queued) {
    long started = sendStartedNanos;
    return queued > TransportPolicy.HARD_BOUND_FACTOR * outboundBound
        || (started != 0 && System.nanoTime() - started >= STUCK_SEND_NANOS);
  }

  /**
   * Hands the next queued frame to the container unless a send is under way. A send the
   * container completes at once loops here instead of recursing through its callback.
   */
  private void sendQueued() {
    while (sending.compareAndSet(false, true)) {
      OutboundFrame frame = queue.poll();
      if (frame == null) {
        sending.set(false);
        if (queue.isEmpty()) {
          if (closing.get()) {
            sendCloseOnce();
          }
          return;
        }
        continue;
      }
      queuedBytes.addAndGet(-frame.bytes().length);
      if (!send(frame)) {
        return;
      }
    }
  }

  /** Starts sending the frame; true if it already completed, so the caller goes on with the next. */
  private boolean send(OutboundFrame frame) {
    // 0: under way; 1: send() returned first; 2: the container completed it before send() returned.
    AtomicInteger progress = new AtomicInteger();
    SendHandler done = result -> {
      sendStartedNanos = 0;
      if (!result.isOK()) {
        failed(result);
        return;
      }
      if (!progress.compareAndSet(0, 2)) {
        sending.set(false);
        sendQueued();
      }
    };
    sendStartedNanos = System.nanoTime();
    try {
      if (frame.text()) {
        nativeSession.getAsyncRemote().sendText(texts.of(frame), done);
      } else {
        nativeSession.getAsyncRemote().sendBinary(ByteBuffer.wrap(frame.bytes()), done);
      }
    } catch (RuntimeException e) {
      // The container refuses sends once its side of the session is closing; nothing more can go out.
      LOG.debug("send to {} refused", session.getId(), e);
      sendStartedNanos = 0;
      abort(WsCloseStatus.INTERNAL_ERROR.code(), "send refused");
      return false;
    }
    if (progress.compareAndSet(0, 1)) {
      return false;
    }
    sending.set(false);
    return true;
  }

  private void failed(SendResult result) {
    LOG.debug("send to {} failed", session.getId(), result.getException());
    abort(WsCloseStatus.INTERNAL_ERROR.code(), "send failed");
  }

  /** Sends a WebSocket ping; blocking up to the container's send timeout, so never on its threads. */
  void ping() {
    if (closing.get()) {
      return;
    }
    try {
      nativeSession.getAsyncRemote().sendPing(ByteBuffer.allocate(0));
    } catch (IOException | RuntimeException e) {
      LOG.debug("ping to {} failed", session.getId(), e);
    }
  }

  void touch() {
    lastReadNanos = System.nanoTime();
  }

  long silentNanos() {
    return System.nanoTime() - lastReadNanos;
  }

  /** Closes after every frame already accepted has gone out; a peer that stopped reading is aborted. */
  @Override
  public void close(int code, String reason) {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    closeStatus.compareAndSet(null, new CloseStatus(code, reason));
    if (isStuck(queuedBytes.get())) {
      abort(code, reason);
      return;
    }
    sendQueued();
  }

  /** Closes at once, dropping what waits: for a peer too slow to wait for, or a failed send. */
  private void abort(int code, String reason) {
    closing.set(true);
    queue.clear();
    closeStatus.compareAndSet(null, new CloseStatus(code, reason));
    sendCloseOnce();
  }

  private void sendCloseOnce() {
    if (!closeSent.compareAndSet(false, true)) {
      return;
    }
    CloseStatus status = closeStatus.get();
    int code = status.getCode();
    String reason = status.getReason() == null ? "" : status.getReason();
    // Sending the close frame blocks while a send is under way (up to the container's send
    // timeout, for a peer that stopped reading): never on the caller's thread.
    Thread.ofVirtual().name("reactive-ws-close").start(() -> {
      try {
        session.close(status);
        // Tomcat may wait for the peer's close frame before it reports the session closed; a peer
        // that never answers must not hold back the close hook (nor a server that is stopping).
        // How long that may take is the close grace every transport gives a close frame.
        if (!reportedClosed.await(TransportPolicy.CLOSE_GRACE.toNanos(), TimeUnit.NANOSECONDS)) {
          LOG.debug("session {} not reported closed after {}; reporting it", session.getId(), TransportPolicy.CLOSE_GRACE);
          closeReport.closed(code, reason);
        }
      } catch (IOException | RuntimeException e) {
        LOG.debug("closing {} failed", session.getId(), e);
        closeReport.closed(code, reason);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
  }

  /** Marks the session closed; true for the first caller only, who reports it to the engine. */
  boolean markClosed() {
    if (!reported.compareAndSet(false, true)) {
      return false;
    }
    closing.set(true);
    queue.clear();
    reportedClosed.countDown();
    return true;
  }

  @Override
  public boolean isOpen() {
    return !closing.get() && session.isOpen();
  }
}
