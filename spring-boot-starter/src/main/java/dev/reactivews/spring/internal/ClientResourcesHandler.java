package dev.reactivews.spring.internal;

import dev.reactivews.WsConfig;
import dev.reactivews.internal.ClassPathFiles;
import dev.reactivews.transport.ClientResources;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.web.HttpRequestHandler;

/** Serves the browser client and the public config under {@value ClientResources#PATH_PREFIX}, as every transport does. */
public final class ClientResourcesHandler implements HttpRequestHandler {
  private final byte[] publicConfig;
  private final ClassPathFiles files = new ClassPathFiles();

  public ClientResourcesHandler(WsConfig config) {
    this.publicConfig = ClientResources.publicConfig(config);
  }

  @Override
  public void handleRequest(HttpServletRequest request, HttpServletResponse response) throws IOException {
    if (!request.getMethod().equals("GET") && !request.getMethod().equals("HEAD")) {
      response.setHeader("Allow", "GET, HEAD");
      respond(response, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "text/plain; charset=utf-8",
          "method not allowed".getBytes(StandardCharsets.UTF_8));
      return;
    }
    String path = request.getRequestURI().substring(request.getContextPath().length());
    if (path.equals(ClientResources.CONFIG_PATH)) {
      respond(response, HttpServletResponse.SC_OK, "application/json", publicConfig);
      return;
    }
    String resource = ClientResources.resourceFor(path);
    byte[] content = resource == null ? null : files.read(resource);
    if (content == null) {
      respond(response, HttpServletResponse.SC_NOT_FOUND, "text/plain; charset=utf-8",
          "not found".getBytes(StandardCharsets.UTF_8));
      return;
    }
    respond(response, HttpServletResponse.SC_OK, ClassPathFiles.contentType(resource), content);
  }

  private static void respond(HttpServletResponse response, int status, String contentType, byte[] body)
      throws IOException {
    response.setStatus(status);
    // A browser must not guess another type for what it is sent (a script served as text, say).
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setContentType(contentType);
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }
}
