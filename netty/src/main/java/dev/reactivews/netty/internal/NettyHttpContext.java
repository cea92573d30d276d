package dev.reactivews.netty.internal;

import dev.reactivews.WsPublisher;
import dev.reactivews.netty.HttpContext;
import dev.reactivews.netty.HttpException;
import dev.reactivews.state.WsStates;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

/** A route's view of a request, copied off the Netty buffers so the route may run on any thread. */
final class NettyHttpContext implements HttpContext {
  private final String method;
  private final String path;
  private final Map<String, List<String>> query;
  private final HttpHeaders headers;
  private final String body;
  private final WsPublisher publisher;
  private final WsStates states;
  private final ObjectMapper mapper;
  private volatile int status = 200;

  NettyHttpContext(FullHttpRequest request, String path, WsPublisher publisher, WsStates states, ObjectMapper mapper) {
    this.method = request.method().name();
    this.path = path;
    this.query = new QueryStringDecoder(request.uri()).parameters();
    this.headers = request.headers().copy();
    this.body = request.content().toString(StandardCharsets.UTF_8);
    this.publisher = publisher;
    this.states = states;
    this.mapper = mapper;
  }

  @Override
  public String method() {
    return method;
  }

  @Override
  public String path() {
    return path;
  }

  @Override
  public String query(String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  @Override
  public String header(String name) {
    return headers.get(name);
  }

  @Override
  public String body() {
    return body;
  }

  @Override
  public <T> T bodyAs(Class<T> type) {
    T value;
    try {
      value = mapper.readValue(body, type);
    } catch (JacksonException e) {
      throw new HttpException(400, "invalid JSON body for " + type.getSimpleName());
    }
    if (value == null) {
      throw new HttpException(400, "a JSON body is required for " + type.getSimpleName());
    }
    return value;
  }

  @Override
  public HttpContext status(int status) {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("not an HTTP status: " + status);
    }
    this.status = status;
    return this;
  }

  int status() {
    return status;
  }

  @Override
  public WsPublisher publisher() {
    return publisher;
  }

  @Override
  public WsStates states() {
    return states;
  }
}
