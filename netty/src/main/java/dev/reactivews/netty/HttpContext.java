package dev.reactivews.netty;

import dev.reactivews.WsPublisher;
import dev.reactivews.state.WsStates;
import org.jspecify.annotations.Nullable;

/** One HTTP request to a route, and the few things its answer may set. */
public interface HttpContext {
  /** GET, POST, ... */
  String method();

  /** The path, without the query. */
  String path();

  /** The first value of the query parameter, or null. */
  @Nullable String query(String name);

  /** The first value of the header, or null. */
  @Nullable String header(String name);

  /** The body as UTF-8 text; empty if there is none. */
  String body();

  /** The body parsed as JSON into the type; throws {@link HttpException} 400 if it does not fit. */
  <T> T bodyAs(Class<T> type);

  /** Sets the status of a successful answer (default 200, or 204 for a null result). */
  HttpContext status(int status);

  /** The server-wide publisher, to reach WebSocket subscribers from a route. */
  WsPublisher publisher();

  /** The server's state topics, to change and read them from a route. */
  WsStates states();
}
