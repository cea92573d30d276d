package dev.reactivews.spring.internal;

import dev.reactivews.UpgradeRequest;
import dev.reactivews.transport.UpgradeRefusal;
import dev.reactivews.transport.WsEngine;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

/**
 * Runs the app's upgrade hook on a handshake: a refusal becomes an HTTP error and no socket
 * opens; an acceptance carries the {@link UpgradeRequest} (with the authenticated principal, if
 * any, under {@value #PRINCIPAL}) to the session.
 */
public final class UpgradeInterceptor implements HandshakeInterceptor {
  /** The context key of the principal that Spring Security (or the container) authenticated. */
  public static final String PRINCIPAL = "principal";
  static final String UPGRADE_REQUEST = UpgradeInterceptor.class.getName() + ".request";

  private final WsEngine engine;

  public UpgradeInterceptor(WsEngine engine) {
    this.engine = engine;
  }

  @Override
  public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
      Map<String, Object> attributes) throws IOException {
    if (!isHandshake(request)) {
      // Spring answers what is not a handshake (400, 405) once the interceptors let it through;
      // the app's hook only ever sees handshakes, as on every transport.
      return true;
    }
    UpgradeRequest upgrade;
    try {
      upgrade = toUpgradeRequest(request);
    } catch (IllegalArgumentException e) {
      refuse(response, 400, "invalid request target");
      return false;
    }
    Principal principal = request.getPrincipal();
    if (principal != null) {
      upgrade.context(PRINCIPAL, principal);
    }
    UpgradeRefusal refusal = engine.admit(upgrade);
    if (refusal != null) {
      refuse(response, refusal.status(), refusal.body());
      return false;
    }
    attributes.put(UPGRADE_REQUEST, upgrade);
    return true;
  }

  @Override
  public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
      Exception exception) {}

  private static boolean isHandshake(ServerHttpRequest request) {
    return HttpMethod.GET.equals(request.getMethod())
        && "websocket".equalsIgnoreCase(request.getHeaders().getFirst(HttpHeaders.UPGRADE));
  }

  /** The app's message goes in the body, never in the status line; the connection is not reused. */
  private static void refuse(ServerHttpResponse response, int status, String body) throws IOException {
    response.setStatusCode(HttpStatusCode.valueOf(status));
    response.getHeaders().setContentType(new MediaType("text", "plain", StandardCharsets.UTF_8));
    response.getHeaders().set(HttpHeaders.CONNECTION, "close");
    response.getBody().write(body.getBytes(StandardCharsets.UTF_8));
  }

  private static UpgradeRequest toUpgradeRequest(ServerHttpRequest request) {
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    request.getHeaders().forEach((name, values) -> values.forEach(value -> headers.add(Map.entry(name, value))));
    return new UpgradeRequest(requestTarget(request), headers, request.getRemoteAddress());
  }

  /** Path and query as the client sent them, like every transport's {@link UpgradeRequest#uri()}. */
  private static URI requestTarget(ServerHttpRequest request) {
    if (request instanceof ServletServerHttpRequest servlet) {
      HttpServletRequest raw = servlet.getServletRequest();
      String query = raw.getQueryString();
      return URI.create(raw.getRequestURI() + (query == null ? "" : "?" + query));
    }
    URI uri = request.getURI();
    return URI.create(uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
  }
}
