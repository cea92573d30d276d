package dev.reactivews.testing;

import dev.reactivews.WsConfig;
import dev.reactivews.WsHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * A server under test, of any transport, and the clients a test opened through it; {@link
 * #close()} closes the clients, then stops the server.
 */
public final class TestServer implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final RunningServer server;
  private final List<AutoCloseable> clients = new CopyOnWriteArrayList<>();

  private TestServer(RunningServer server) {
    this.server = server;
  }

  /** Starts a server of the transport on an ephemeral port. */
  public static TestServer start(WsTransport transport, WsConfig config, WsHandler handler) {
    return of(transport.start(config, handler));
  }

  /** Wraps a server a transport-specific test started its own way. */
  public static TestServer of(RunningServer server) {
    return new TestServer(server);
  }

  /** The server under test. */
  public RunningServer server() {
    return server;
  }

  /** The port the server listens on. */
  public int port() {
    return server.port();
  }

  /** A client of the WebSocket route, open. */
  public WsRecorder connect() {
    return connect("", Map.of());
  }

  /** A client of the WebSocket route with a query ({@code "?a=b"} or empty) and extra headers. */
  public WsRecorder connect(String query, Map<String, String> headers) {
    return track(WsRecorder.connect(URI.create("ws://127.0.0.1:" + port() + server.config().route() + query), headers));
  }

  /** A hand-made client of the WebSocket route. */
  public RawWebSocket raw(Map<String, String> headers) {
    return raw("", headers);
  }

  /** A hand-made client of the WebSocket route with a query ({@code "?a=b"} or empty). */
  public RawWebSocket raw(String query, Map<String, String> headers) {
    return track(RawWebSocket.connect(port(), server.config().route() + query, headers));
  }

  /** A hand-made client with a receive buffer of that many bytes. */
  public RawWebSocket raw(int receiveBuffer) {
    return track(RawWebSocket.connect(port(), server.config().route(), Map.of(), receiveBuffer));
  }

  private <T extends AutoCloseable> T track(T client) {
    clients.add(client);
    return client;
  }

  /** Sends an HTTP request to the path; body null for none. */
  public HttpResponse<String> http(String method, String path, @Nullable String body) {
    HttpRequest.BodyPublisher publisher =
        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body);
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path))
        .timeout(WsRecorder.TIMEOUT)
        .method(method, publisher)
        .build();
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Sends a GET to the path. */
  public HttpResponse<String> get(String path) {
    return http("GET", path, null);
  }

  /**
   * The status of a GET whose request target is sent byte for byte, unlike any HTTP client
   * would ({@code /../x}, {@code /%2e%2e/x}).
   */
  public int rawGetStatus(String target) {
    try (Socket socket = new Socket("127.0.0.1", port())) {
      socket.setSoTimeout((int) WsRecorder.TIMEOUT.toMillis());
      socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      return Integer.parseInt(response.split(" ", 3)[1]);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws Exception {
    for (AutoCloseable client : clients) {
      client.close();
    }
    server.close();
  }
}
