package dev.reactivews.netty.internal;

import dev.reactivews.internal.ClassPathFiles;
import dev.reactivews.internal.Json;
import dev.reactivews.internal.LogText;
import dev.reactivews.netty.HttpException;
import dev.reactivews.netty.HttpHandler;
import dev.reactivews.netty.ReactiveWs;
import dev.reactivews.transport.ClientResources;
import dev.reactivews.transport.WsEngine;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.ObjectMapper;

/**
 * Answers every HTTP request that is not the WebSocket: the app's routes (on virtual threads,
 * each within the route timeout), the browser client, the public config, and static files from
 * the class path.
 */
@Sharable
final class HttpRouter extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(HttpRouter.class);
  /** Reads and writes the JSON of routes. */
  private static final ObjectMapper ERRORS = Json.mapperBuilder().build();
  private static final String TEXT = "text/plain; charset=utf-8";
  private static final String JSON = "application/json";
  /** What a path without routes takes: its files (and the client's config). */
  private static final List<String> FILE_METHODS = List.of("GET", "HEAD");
  /** Requests that arrived while a route was answering an earlier one on the same channel. */
  private static final AttributeKey<Deque<FullHttpRequest>> WAITING = AttributeKey.valueOf("reactive-ws.waiting");
  private final WsEngine engine;
  private final Map<String, Map<String, HttpHandler>> routes;
  private final String staticFolder;
  private final byte[] publicConfig;
  private final ClassPathFiles files = new ClassPathFiles();
  private final Duration routeTimeout;
  private final HttpRefusalLog refusals = new HttpRefusalLog();

  HttpRouter(WsEngine engine, Map<String, Map<String, HttpHandler>> routes, String staticFolder,
      Duration routeTimeout) {
    super(false);
    this.engine = engine;
    this.routeTimeout = routeTimeout;
    this.routes = Map.copyOf(routes);
    this.staticFolder = staticFolder;
    this.publicConfig = ClientResources.publicConfig(engine.config());
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    Deque<FullHttpRequest> waiting = ctx.channel().attr(WAITING).get();
    if (waiting != null) {
      waiting.add(request);
      return;
    }
    answer(ctx, request);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    Deque<FullHttpRequest> waiting = ctx.channel().attr(WAITING).getAndSet(null);
    if (waiting != null) {
      waiting.forEach(FullHttpRequest::release);
    }
    super.channelInactive(ctx);
  }

  /** Answers the request, or starts its route and holds the channel's next requests until it answered. */
  private void answer(ChannelHandlerContext ctx, FullHttpRequest request) {
    try {
      if (request.decoderResult().isFailure()) {
        // The cause quotes the client's bytes, which have no place in the log.
        LOG.info("refusing a request that is not valid HTTP from {}", ctx.channel().remoteAddress());
        respond(ctx, false, false, HttpResponseStatus.BAD_REQUEST, TEXT, bytes("bad request"));
        return;
      }
      String path = RequestPaths.pathOf(request.uri());
      if (path == null) {
        respond(ctx, false, false, HttpResponseStatus.BAD_REQUEST, TEXT, bytes("malformed request target"));
        return;
      }
      Map<String, HttpHandler> byMethod = routes.get(path);
      if (byMethod != null) {
        startRoute(ctx, request, path, byMethod);
      } else if (!request.method().equals(HttpMethod.GET) && !request.method().equals(HttpMethod.HEAD)) {
        methodNotAllowed(ctx, request, FILE_METHODS);
      } else if (path.equals(ReactiveWs.CONFIG_PATH)) {
        respond(ctx, request, HttpResponseStatus.OK, JSON, publicConfig);
      } else {
        serveFile(ctx, request, path);
      }
    } finally {
      request.release();
    }
  }

  private void startRoute(ChannelHandlerContext ctx, FullHttpRequest request, String path,
      Map<String, HttpHandler> byMethod) {
    HttpHandler handler = byMethod.get(request.method().name());
    if (handler == null) {
      methodNotAllowed(ctx, request, byMethod.keySet());
      return;
    }
    NettyHttpContext context;
    try {
      context = new NettyHttpContext(request, path, engine.publisher(), engine.states(), engine.jsonMapper());
    } catch (IllegalArgumentException malformedQuery) {
      respond(ctx, false, false, HttpResponseStatus.BAD_REQUEST, TEXT, bytes("malformed query"));
      return;
    }
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    // HTTP/1.1 answers in request order: later requests wait for this route, and none is read meanwhile.
    ctx.channel().attr(WAITING).set(new ArrayDeque<>());
    ctx.channel().config().setAutoRead(false);
    RouteRun run = new RouteRun();
    Thread routeThread = Thread.ofVirtual().name("reactive-ws-http").unstarted(() -> {
      Response response = runRoute(handler, context);
      ctx.executor().execute(() -> {
        if (run.timedOut) {
          return;
        }
        run.deadline.cancel(false);
        respond(ctx, keepAlive, false, response.status(), response.contentType(), response.body());
        resume(ctx);
      });
    });
    run.deadline = ctx.executor().schedule(() -> {
      run.timedOut = true;
      routeThread.interrupt();
      if (!ctx.channel().isActive()) {
        return;
      }
      refusals.log("route-timeout", "route " + context.method() + " " + LogText.escape(path) + " did not answer "
          + ctx.channel().remoteAddress() + " within " + HttpAnswers.describe(routeTimeout) + ": answering 503");
      HttpAnswers.answerAndClose(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, "the route did not answer in time", Map.of());
    }, routeTimeout.toNanos(), TimeUnit.NANOSECONDS);
    routeThread.start();
  }

  /** One route's run, touched on the channel's event loop only. */
  private static final class RouteRun {
    /** Set before the route's thread starts. */
    ScheduledFuture<?> deadline;
    /** Set once the client got 503: the route's own answer, should it come, is dropped. */
    boolean timedOut;
  }

  /** Answers the requests that waited for a route, until one of them starts a route again. */
  private void resume(ChannelHandlerContext ctx) {
    Deque<FullHttpRequest> waiting = ctx.channel().attr(WAITING).getAndSet(null);
    ctx.channel().config().setAutoRead(true);
    while (waiting != null && !waiting.isEmpty()) {
      Deque<FullHttpRequest> heldAgain = ctx.channel().attr(WAITING).get();
      if (heldAgain != null) {
        heldAgain.addAll(waiting);
        return;
      }
      answer(ctx, waiting.poll());
    }
  }

  private record Response(HttpResponseStatus status, String contentType, byte[] body) {}

  private Response runRoute(HttpHandler handler, NettyHttpContext context) {
    try {
      Object result = handler.handle(context);
      if (result == null) {
        return new Response(HttpResponseStatus.NO_CONTENT, TEXT, new byte[0]);
      }
      HttpResponseStatus status = HttpResponseStatus.valueOf(context.status());
      return result instanceof String text
          ? new Response(status, TEXT, bytes(text))
          : new Response(status, JSON, engine.jsonMapper().writeValueAsBytes(result));
    } catch (HttpException e) {
      return new Response(HttpResponseStatus.valueOf(e.status()), JSON, errorBody(e.getMessage()));
    } catch (InterruptedException e) {
      // The route timeout interrupts it; the client has its 503 already.
      LOG.debug("route {} {} interrupted", context.method(), LogText.escape(context.path()));
      return new Response(HttpResponseStatus.SERVICE_UNAVAILABLE, JSON, errorBody("interrupted"));
    } catch (Exception | LinkageError e) {
      LOG.warn("route {} {} failed", context.method(), LogText.escape(context.path()), e);
      return new Response(HttpResponseStatus.INTERNAL_SERVER_ERROR, JSON, errorBody("internal error"));
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] errorBody(String message) {
    return ERRORS.writeValueAsBytes(Map.of("error", message));
  }

  private void serveFile(ChannelHandlerContext ctx, FullHttpRequest request, String path) {
    String resource = resourceFor(path);
    byte[] content = resource == null ? null : files.read(resource);
    if (content == null) {
      respond(ctx, request, HttpResponseStatus.NOT_FOUND, TEXT, bytes("not found"));
      return;
    }
    respond(ctx, request, HttpResponseStatus.OK, ClassPathFiles.contentType(resource), content);
  }

  /** The class-path resource for a path, or null when the path may not name one. */
  private String resourceFor(String path) {
    if (path.startsWith(ClientResources.PATH_PREFIX)) {
      return ClientResources.resourceFor(path);
    }
    if (staticFolder == null || !ClassPathFiles.isSafePath(path)) {
      return null;
    }
    String file = path.endsWith("/") ? path + "index.html" : path;
    return staticFolder + file;
  }

  private static void respond(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status,
      String contentType, byte[] body) {
    respond(ctx, HttpUtil.isKeepAlive(request), request.method().equals(HttpMethod.HEAD), status, contentType, body);
  }

  /** 405, with the methods the path takes in {@code Allow} (RFC 9110 15.5.6). */
  private static void methodNotAllowed(ChannelHandlerContext ctx, FullHttpRequest request, Collection<String> allowed) {
    respond(ctx, HttpUtil.isKeepAlive(request), request.method().equals(HttpMethod.HEAD),
        HttpResponseStatus.METHOD_NOT_ALLOWED, TEXT, bytes("method not allowed"), String.join(", ", new TreeSet<>(allowed)));
  }

  private static void respond(ChannelHandlerContext ctx, boolean keepAlive, boolean head, HttpResponseStatus status,
      String contentType, byte[] body) {
    respond(ctx, keepAlive, head, status, contentType, body, null);
  }

  /** {@code allow}: the {@code Allow} header, or null for none. */
  private static void respond(ChannelHandlerContext ctx, boolean keepAlive, boolean head, HttpResponseStatus status,
      String contentType, byte[] body, String allow) {
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
        head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
    response.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, contentType)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
        .set(HttpHeaderNames.CACHE_CONTROL, "no-cache")
        .set(HttpAnswers.X_CONTENT_TYPE_OPTIONS, HttpAnswers.NOSNIFF);
    if (allow != null) {
      response.headers().set(HttpHeaderNames.ALLOW, allow);
    }
    if (!keepAlive) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    var future = ctx.writeAndFlush(response);
    if (!keepAlive) {
      future.addListener(ChannelFutureListener.CLOSE);
    }
  }
}
