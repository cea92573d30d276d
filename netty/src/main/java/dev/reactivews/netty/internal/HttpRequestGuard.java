package dev.reactivews.netty.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Holds each HTTP request of a connection to its limits: the head must be complete within {@link
 * HttpLimits#requestHeadTimeout()} and the whole request within {@link
 * HttpLimits#requestTimeout()} of the connection's start or of the first byte of the request,
 * however slowly the bytes come, else 408; a body over {@link HttpLimits#maxRequestBodyBytes()},
 * declared or sent, gets 413; one that would take the bodies every connection holds past {@link
 * HttpLimits#maxRequestBodiesInFlight()} gets 503. Each answer closes the connection. It also keeps the
 * idle close off a connection whose request is still being answered (a slow route). Sits just
 * behind the HTTP decoder; {@link #byteWatch()} sits in front of it, to see a request's first
 * byte. Leaves the pipeline once the connection is upgraded to a WebSocket.
 */
final class HttpRequestGuard extends ChannelDuplexHandler {
  private static final String RETRY_AFTER_SECONDS = "5";

  private final String webSocketRoute;
  private final HttpLimits limits;
  private final BodyBudget bodies;
  private final HttpRefusalLog refusals;
  /** This connection's place among the open HTTP connections, given back once it is a WebSocket. */
  private final HttpConnections.Ticket httpCount;
  /** When the connection opened ({@link System#nanoTime()}): its first request's limits count from then. */
  private final long openedNanos;
  private final ChannelInboundHandlerAdapter byteWatch = new ChannelInboundHandlerAdapter() {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof ByteBuf bytes && bytes.isReadable() && guardContext != null) {
        requestBytesArrived();
      }
      ctx.fireChannelRead(msg);
    }
  };

  /** Null until this handler is added. */
  private ChannelHandlerContext guardContext;
  /** Set while a request's head has not arrived whole: from the connection's start or its first byte. */
  private ScheduledFuture<?> headDeadline;
  /** Set from the same start until the request's last byte arrived. */
  private ScheduledFuture<?> requestDeadline;
  /** Bytes of the current request's body so far, all of them reserved in {@link #bodies}. */
  private long bodyBytes;
  /** Requests whose head arrived and whose answer has not been written whole yet. */
  private int unanswered;
  /** Set once this connection got an error answer: nothing it sends after is read. */
  private boolean refused;
  /**
   * Set once a request to the WebSocket route came: the upgrade hook gets no shelter from the
   * idle close, as a route does. Never cleared: a handshake's answer ends HTTP on this connection.
   */
  private boolean handshakeUnderWay;

  HttpRequestGuard(String webSocketRoute, HttpLimits limits, BodyBudget bodies, HttpRefusalLog refusals,
      HttpConnections.Ticket httpCount, long openedNanos) {
    this.webSocketRoute = webSocketRoute;
    this.openedNanos = openedNanos;
    this.limits = limits;
    this.httpCount = httpCount;
    this.bodies = bodies;
    this.refusals = refusals;
  }

  /** The handler to put in front of the HTTP decoder. */
  ChannelInboundHandlerAdapter byteWatch() {
    return byteWatch;
  }

  /** Joins a connection that is open already, at its first read ({@link FastHandshake}). */
  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    guardContext = ctx;
    startDeadlines(System.nanoTime() - openedNanos);
  }

  /** A new request starts with the first byte that comes while no request is under way. */
  private void requestBytesArrived() {
    if (requestDeadline == null && unanswered == 0 && !refused) {
      startDeadlines(0);
    }
  }

  /** Why a request is answered 408 when its head did not come whole in time. */
  static String headTimedOut(HttpLimits limits) {
    return "the request head was not complete after " + HttpAnswers.describe(limits.requestHeadTimeout());
  }

  /** Starts both limits of a request that began {@code elapsedNanos} ago. */
  private void startDeadlines(long elapsedNanos) {
    headDeadline = guardContext.executor().schedule(() -> {
      headDeadline = null;
      refuse(HttpResponseStatus.REQUEST_TIMEOUT, "head-timeout", headTimedOut(limits));
    }, limits.requestHeadTimeout().toNanos() - elapsedNanos, TimeUnit.NANOSECONDS);
    requestDeadline = guardContext.executor().schedule(() -> {
      requestDeadline = null;
      refuse(HttpResponseStatus.REQUEST_TIMEOUT, "request-timeout",
          "the request was not complete after " + HttpAnswers.describe(limits.requestTimeout()));
    }, limits.requestTimeout().toNanos() - elapsedNanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (refused) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof HttpRequest request) {
      cancel(headDeadline);
      headDeadline = null;
      unanswered++;
      handshakeUnderWay |= webSocketRoute.equals(RequestPaths.pathOf(request.uri()));
      // A head the decoder refused goes on to be answered 400; its Content-Length may be anything.
      if (request.decoderResult().isSuccess()
          && HttpUtil.getContentLength(request, 0L) > limits.maxRequestBodyBytes()) {
        ReferenceCountUtil.release(msg);
        refuseTooLarge();
        return;
      }
    }
    if (msg instanceof HttpContent content && !admitBody(content.content().readableBytes())) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof LastHttpContent) {
      cancel(requestDeadline);
      requestDeadline = null;
      // The aggregated request is read (the router copies a route's body) before this returns.
      ctx.fireChannelRead(msg);
      releaseBody();
      return;
    }
    ctx.fireChannelRead(msg);
  }

  /** Whether the body may grow by that many bytes; if not, the answer is on its way. */
  private boolean admitBody(int bytes) {
    if (bytes == 0) {
      return true;
    }
    if (bodyBytes + bytes > limits.maxRequestBodyBytes()) {
      refuseTooLarge();
      return false;
    }
    if (!bodies.tryReserve(bytes)) {
      refuse(HttpResponseStatus.SERVICE_UNAVAILABLE, "bodies-in-flight",
          "the server holds " + limits.maxRequestBodiesInFlight() + " bytes of request bodies already, try again later",
          Map.of(HttpHeaderNames.RETRY_AFTER.toString(), RETRY_AFTER_SECONDS));
      return false;
    }
    bodyBytes += bytes;
    return true;
  }

  private void refuseTooLarge() {
    refuse(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "body-too-large",
        "a request body may have " + limits.maxRequestBodyBytes() + " bytes at most", Map.of());
  }

  private void releaseBody() {
    bodies.release(bodyBytes);
    bodyBytes = 0;
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
    if (msg instanceof HttpResponse response && response.status().equals(HttpResponseStatus.SWITCHING_PROTOCOLS)) {
      // The WebSocket's own limits hold it from here on.
      httpCount.leave();
      cancel(headDeadline);
      cancel(requestDeadline);
      releaseBody();
      ctx.pipeline().remove(byteWatch);
      ctx.pipeline().remove(this);
    } else if (msg instanceof LastHttpContent && !isInterim(msg)) {
      unanswered--;
    }
    super.write(ctx, msg, promise);
  }

  /** A 100 Continue goes before the real answer and answers nothing. */
  private static boolean isInterim(Object msg) {
    return msg instanceof HttpResponse response && response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event instanceof IdleStateEvent && unanswered > 0 && !handshakeUnderWay) {
      // The request is being answered (a route that takes its time): the route's own limit holds it.
      return;
    }
    super.userEventTriggered(ctx, event);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    cancel(headDeadline);
    cancel(requestDeadline);
    releaseBody();
    super.channelInactive(ctx);
  }

  /** Answers with the status, logs why (rate-limited) and closes; what the client sends next is dropped. */
  private void refuse(HttpResponseStatus status, String kind, String why) {
    refuse(status, kind, why, Map.of());
  }

  private void refuse(HttpResponseStatus status, String kind, String why, Map<String, String> headers) {
    if (refused || !guardContext.channel().isActive()) {
      return;
    }
    refused = true;
    cancel(headDeadline);
    cancel(requestDeadline);
    releaseBody();
    refusals.log(kind, "answering " + status.code() + " to " + guardContext.channel().remoteAddress() + ": " + why);
    HttpAnswers.answerAndClose(guardContext, status, why, headers);
  }

  private static void cancel(ScheduledFuture<?> deadline) {
    if (deadline != null) {
      deadline.cancel(false);
    }
  }
}
