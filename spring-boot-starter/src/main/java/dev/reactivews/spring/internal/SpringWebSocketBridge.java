package dev.reactivews.spring.internal;

import dev.reactivews.CloseEvent;
import dev.reactivews.UpgradeRequest;
import dev.reactivews.WsCloseStatus;
import dev.reactivews.transport.StoppingTransport;
import dev.reactivews.transport.TransportPolicy;
import dev.reactivews.transport.WsEngine;
import dev.reactivews.transport.WsSocketListener;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PongMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;

/**
 * Spring's WebSocket handler for the route: hands every session to the engine as a {@link
 * SpringSocket} and its messages to the peer. Pings silent peers at half the idle timeout
 * and closes them with 1001 at all of it.
 */
public final class SpringWebSocketBridge extends AbstractWebSocketHandler implements StoppingTransport, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SpringWebSocketBridge.class);
  private static final long STOP_POLL_MILLIS = 10;
  /** Tomcat's session property: how long a blocking send (a close frame, a ping) may wait for the socket. */
  private static final String TOMCAT_BLOCKING_SEND_TIMEOUT = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";
  private static final long BLOCKING_SEND_TIMEOUT_MILLIS = 1000;

  private final WsEngine engine;
  private final Map<String, Open> sessions = new ConcurrentHashMap<>();
  private final FrameTexts texts = new FrameTexts();
  private final ScheduledExecutorService idleChecks;
  private final long pingAfterNanos;
  private final long closeAfterNanos;
  /** Set once the server is stopping: sessions the container still opens are closed, never made peers. */
  private volatile boolean stopping;

  /**
   * A session's socket, and its peer's listener once the engine has opened it. The session is
   * registered before the engine opens the peer, since a close may be reported (by a server that
   * began stopping) before the open returns: such a close reaches the listener once it is known.
   */
  private static final class Open {
    final SpringSocket connection;
    private volatile @Nullable WsSocketListener listener;
    private @Nullable CloseStatus closedBeforeOpen;

    Open(SpringSocket connection) {
      this.connection = connection;
    }

    /** True if the peer's close came before it opened and has now reached it. */
    synchronized boolean opened(WsSocketListener opened) {
      listener = opened;
      if (closedBeforeOpen == null) {
        return false;
      }
      opened.onClosed(closedBeforeOpen.getCode(), closedBeforeOpen.getReason());
      return true;
    }

    /** True if the close reached the listener; false if it waits for the open. */
    synchronized boolean closed(int code, String reason) {
      WsSocketListener opened = listener;
      if (opened == null) {
        closedBeforeOpen = new CloseStatus(code, reason);
        return false;
      }
      opened.onClosed(code, reason);
      return true;
    }

    /** Null only before the open returns, when the container reads nothing yet. */
    @Nullable WsSocketListener listener() {
      return listener;
    }
  }

  public SpringWebSocketBridge(WsEngine engine) {
    this.engine = engine;
    this.pingAfterNanos = TransportPolicy.pingAfter(engine.config()).toNanos();
    this.closeAfterNanos = TransportPolicy.closeAfter(engine.config()).toNanos();
    Duration idle = engine.config().idleTimeout();
    this.idleChecks = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
        .name("reactive-ws-idle").daemon().factory());
    long period = Math.max(10, idle.toMillis() / 4);
    idleChecks.scheduleAtFixedRate(this::checkIdle, period, period, TimeUnit.MILLISECONDS);
  }

  @Override
  public void afterConnectionEstablished(WebSocketSession session) throws IOException {
    if (stopping) {
      session.close(new CloseStatus(WsCloseStatus.GOING_AWAY.code(), "server shutting down"));
      return;
    }
    // Null if the interceptor never admitted this handshake: the engine then refuses the session (1011).
    UpgradeRequest request = (UpgradeRequest) session.getAttributes().get(UpgradeInterceptor.UPGRADE_REQUEST);
    Session nativeSession =
        session instanceof NativeWebSocketSession wrapping ? wrapping.getNativeSession(Session.class) : null;
    if (nativeSession == null) {
      throw new IllegalStateException("reactive-ws needs a Jakarta WebSocket container (Tomcat) under Spring");
    }
    int maxMessageBytes = engine.config().maxMessageBytes();
    nativeSession.setMaxTextMessageBufferSize(maxMessageBytes);
    nativeSession.setMaxBinaryMessageBufferSize(maxMessageBytes);
    nativeSession.getUserProperties().put(TOMCAT_BLOCKING_SEND_TIMEOUT, BLOCKING_SEND_TIMEOUT_MILLIS);
    SpringSocket connection = new SpringSocket(session, nativeSession, engine.config().outboundBufferBytes(),
        texts, (code, reason) -> reportClosed(session.getId(), code, reason));
    Open open = new Open(connection);
    sessions.put(session.getId(), open);
    WsSocketListener listener;
    try {
      listener = engine.open(connection, request);
    } catch (RuntimeException e) {
      sessions.remove(session.getId());
      throw e;
    }
    if (open.opened(listener)) {
      sessions.remove(session.getId());
      return;
    }
    // A session registered while stopping began may have missed closeAll: close it as closeAll would.
    if (stopping) {
      connection.close(WsCloseStatus.GOING_AWAY.code(), "server shutting down");
    }
  }

  @Override
  protected void handleTextMessage(WebSocketSession session, TextMessage message) {
    Open open = sessions.get(session.getId());
    if (open == null) {
      return;
    }
    open.connection.touch();
    String text = message.getPayload();
    // The container bounds text by characters; the limit is in bytes, as on every transport.
    if (text.length() > engine.config().maxMessageBytes() / 3
        && text.getBytes(StandardCharsets.UTF_8).length > engine.config().maxMessageBytes()) {
      open.connection.close(WsCloseStatus.MESSAGE_TOO_BIG.code(), "message too big");
      return;
    }
    WsSocketListener listener = open.listener();
    if (listener != null) {
      listener.onText(text);
    }
  }

  @Override
  protected void handleBinaryMessage(WebSocketSession session, BinaryMessage message) {
    Open open = sessions.get(session.getId());
    if (open == null) {
      return;
    }
    open.connection.touch();
    ByteBuffer payload = message.getPayload();
    byte[] bytes = new byte[payload.remaining()];
    payload.get(bytes);
    WsSocketListener listener = open.listener();
    if (listener != null) {
      listener.onBinary(bytes);
    }
  }

  @Override
  protected void handlePongMessage(WebSocketSession session, PongMessage message) {
    Open open = sessions.get(session.getId());
    if (open != null) {
      open.connection.touch();
    }
  }

  @Override
  public void handleTransportError(WebSocketSession session, Throwable exception) {
    LOG.debug("session {} failed", session.getId(), exception);
  }

  @Override
  public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
    reportClosed(session.getId(), status.getCode(), status.getReason() == null ? "" : status.getReason());
  }

  /**
   * The first report of a session's close reaches the engine. The session leaves the open ones
   * only after its close hook is queued, so that a server stopping once none is open still runs it.
   */
  private void reportClosed(String sessionId, int code, String reason) {
    Open open = sessions.get(sessionId);
    if (open != null && open.connection.markClosed() && open.closed(code, reason)) {
      sessions.remove(sessionId);
    }
  }

  // --- StoppingTransport: the container goes on serving until the engine has stopped ---

  /** From now on, new sessions are closed with 1001 at once. */
  @Override
  public void stopAccepting() {
    stopping = true;
  }

  /**
   * Polls the open sessions: they close on container threads, one by one, and a short poll on
   * the stopping thread is simpler than a latch counted down by every one of them.
   */
  @Override
  public boolean awaitClosed(long deadlineNanos) throws InterruptedException {
    while (!sessions.isEmpty() && System.nanoTime() - deadlineNanos < 0) {
      Thread.sleep(STOP_POLL_MILLIS);
    }
    return sessions.isEmpty();
  }

  @Override
  public int openConnections() {
    return sessions.size();
  }

  /**
   * Reports the sessions whose close never came as ended (1006), so that their close hooks are
   * queued before the hooks stop; the container cuts their sockets when it stops.
   */
  @Override
  public void closeRemaining(long deadlineNanos) {
    sessions.keySet().forEach(id -> reportClosed(id, CloseEvent.ABNORMAL, "server stopped"));
    close();
  }

  private void checkIdle() {
    for (Open open : sessions.values()) {
      long silent = open.connection.silentNanos();
      if (silent >= closeAfterNanos) {
        LOG.info("closing a peer silent for {} ms", TimeUnit.NANOSECONDS.toMillis(silent));
        open.connection.close(WsCloseStatus.GOING_AWAY.code(), "idle timeout");
      } else if (silent >= pingAfterNanos) {
        Thread.ofVirtual().name("reactive-ws-ping").start(open.connection::ping);
      }
    }
  }

  @Override
  public void close() {
    idleChecks.shutdownNow();
  }
}
