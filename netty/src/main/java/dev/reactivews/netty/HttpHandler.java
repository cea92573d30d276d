package dev.reactivews.netty;

import org.jspecify.annotations.Nullable;

/**
 * Answers an HTTP request on a route. Runs on a virtual thread, so it may block, for up to
 * {@link ServerConfig#routeTimeout}: then the client gets 503, the connection closes and the
 * thread is interrupted; the idle timeout never cuts a route that is still running. The result is
 * the response body: {@code null} for 204, a {@code String} as text, anything else as JSON.
 * Throw {@link HttpException} for another status.
 */
@FunctionalInterface
public interface HttpHandler {
  @Nullable Object handle(HttpContext ctx) throws Exception;
}
