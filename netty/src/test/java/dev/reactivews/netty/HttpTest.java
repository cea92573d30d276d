package dev.reactivews.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivews.testing.RawHttp;
import dev.reactivews.testing.TestServer;
import dev.reactivews.testing.WsRecorder;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/** What the server answers over plain HTTP: routes, static files, the client and its config. */
@Timeout(60)
class HttpTest {
  record Greeting(String name, int times) {}

  private TestServer server;
  private final CountDownLatch slowRouteMayAnswer = new CountDownLatch(1);

  @BeforeEach
  void start() {
    server = TestServer.of(NettyTransport.start(cfg -> cfg
        .ws(ws -> ws.route("/_ws").defaults("session").internals("_internal"))
        .staticFiles("static-fixture")
        .get("/api/hello", ctx -> Map.of("hello", String.valueOf(ctx.query("name")), "method", ctx.method()))
        .post("/api/greet", ctx -> {
          Greeting greeting = ctx.bodyAs(Greeting.class);
          ctx.status(201);
          return new Greeting(greeting.name().toUpperCase(), greeting.times() + 1);
        })
        .get("/api/text", ctx -> "plain " + ctx.header("X-Test"))
        .post("/api/nothing", ctx -> null)
        .get("/api/conflict", ctx -> {
          throw new HttpException(409, "already there");
        })
        .get("/api/bug", ctx -> {
          throw new IllegalStateException("route bug");
        })
        .get("/api/slow", ctx -> {
          slowRouteMayAnswer.await();
          return "slow";
        })
        .post("/api/trigger", ctx -> {
          int reached = ctx.publisher().publish("session", ctx.body());
          return Map.of("reached", reached);
        })));
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  private static JsonNode json(HttpResponse<String> response) {
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    return WsRecorder.parse(response.body());
  }

  @Test
  void aMalformedRequestTargetIs400() {
    assertThat(server.rawGetStatus("/%zz")).isEqualTo(400);
    assertThat(server.rawGetStatus("/api/hello?name=%zz")).isEqualTo(400);
    assertThat(server.get("/api/hello?name=ok").statusCode()).isEqualTo(200);
  }

  @Test
  void everyAnswerTellsTheBrowserNotToGuessItsType() {
    for (String path : new String[] {"/", "/app.js", "/_reactive-ws/client.js", "/_reactive-ws/config.json",
        "/api/hello", "/api/text", "/api/conflict", "/api/bug", "/missing.html", "/api/greet"}) {
      assertThat(server.get(path).headers().firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");
    }
    assertThat(server.http("POST", "/api/nothing", "").headers().firstValue("X-Content-Type-Options"))
        .hasValue("nosniff");
    RawHttp.Response malformed = RawHttp.exchange(server.port(), "GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.header("X-Content-Type-Options")).isEqualTo("nosniff");
  }

  @Test
  void aJsonNullBodyIs400() {
    assertThat(server.http("POST", "/api/greet", "null").statusCode()).isEqualTo(400);
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrderEvenBehindASlowRoute() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout((int) WsRecorder.TIMEOUT.toMillis());
      socket.getOutputStream().write(("GET /api/slow HTTP/1.1\r\nHost: x\r\n\r\n"
          + "GET /_reactive-ws/config.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      slowRouteMayAnswer.countDown();
      String responses = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      assertThat(responses.indexOf("slow")).isPositive().isLessThan(responses.indexOf("\"route\""));
      assertThat(responses.split("HTTP/1.1 200", -1)).hasSize(3);
    }
  }

  @Test
  void servesThePublicConfig() {
    HttpResponse<String> response = server.get("/_reactive-ws/config.json");
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode config = json(response);
    assertThat(config.get("route").asString()).isEqualTo("/_ws");
    assertThat(config.at("/topics/defaults").toString()).isEqualTo("[\"session\"]");
    assertThat(config.at("/topics/internals").toString()).isEqualTo("[\"_internal\"]");
  }

  @Test
  void servesTheBrowserClient() {
    HttpResponse<String> response = server.get("/_reactive-ws/client.js");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("text/javascript"));
    assertThat(response.body()).contains("export", "useWS");
  }

  @Test
  void servesStaticFilesWithTheirTypes() {
    HttpResponse<String> index = server.get("/");
    assertThat(index.statusCode()).isEqualTo(200);
    assertThat(index.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(index.body()).contains("reactive-ws test page");

    assertThat(server.get("/index.html").body()).isEqualTo(index.body());
    HttpResponse<String> script = server.get("/app.js");
    assertThat(script.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
    assertThat(script.body()).isEqualTo("export const answer = 42\n");
    assertThat(server.get("/sub/page.txt").body()).isEqualTo("nested file\n");
    assertThat(server.get("/sub/").body()).isEqualTo("sub index\n");
    assertThat(server.http("HEAD", "/app.js", null).body()).isEmpty();
  }

  @Test
  void answers404ForWhatIsNotThere() {
    assertThat(server.get("/missing.html").statusCode()).isEqualTo(404);
    assertThat(server.get("/_reactive-ws/missing.js").statusCode()).isEqualTo(404);
  }

  @Test
  void neverListsAFolder() {
    assertThat(server.get("/sub").statusCode()).isEqualTo(404);
    assertThat(server.get("/_reactive-ws/").statusCode()).isEqualTo(404);
  }

  @Test
  void refusesPathTraversal() {
    for (String target : new String[] {
        "/../pom.xml", "/sub/../index.html", "/%2e%2e/pom.xml", "/%2E%2E%2Fpom.xml", "/..%2fpom.xml",
        "/sub%2f..%2f..%2fdev/reactivews/netty/HttpTest.class", "/..\\pom.xml", "//etc/passwd",
        "/_reactive-ws/../static-fixture/index.html", "/_reactive-ws/..%2f..%2fdev/reactivews/netty/ReactiveWs.class",
        "/%00index.html"}) {
      assertThat(server.rawGetStatus(target)).as(target).isIn(400, 404);
    }
  }

  @Test
  void routesAnswerJsonTextAndStatuses() {
    HttpResponse<String> hello = server.get("/api/hello?name=ann");
    assertThat(hello.statusCode()).isEqualTo(200);
    assertThat(json(hello).get("hello").asString()).isEqualTo("ann");

    HttpResponse<String> greet = server.http("POST", "/api/greet", "{\"name\":\"ann\",\"times\":1}");
    assertThat(greet.statusCode()).isEqualTo(201);
    assertThat(json(greet).get("name").asString()).isEqualTo("ANN");
    assertThat(json(greet).get("times").asInt()).isEqualTo(2);

    HttpResponse<String> text = server.http("GET", "/api/text", null);
    assertThat(text.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");

    HttpResponse<String> nothing = server.http("POST", "/api/nothing", "");
    assertThat(nothing.statusCode()).isEqualTo(204);
    assertThat(nothing.body()).isEmpty();
  }

  @Test
  void routeFailuresHaveTheirStatus() {
    HttpResponse<String> badBody = server.http("POST", "/api/greet", "{not json");
    assertThat(badBody.statusCode()).isEqualTo(400);
    assertThat(json(badBody).get("error").asString()).contains("Greeting");

    HttpResponse<String> conflict = server.get("/api/conflict");
    assertThat(conflict.statusCode()).isEqualTo(409);
    assertThat(json(conflict).get("error").asString()).isEqualTo("already there");

    HttpResponse<String> bug = server.get("/api/bug");
    assertThat(bug.statusCode()).isEqualTo(500);
    assertThat(bug.body()).doesNotContain("route bug");

    HttpResponse<String> notARouteMethod = server.http("POST", "/api/hello", "{}");
    assertThat(notARouteMethod.statusCode()).isEqualTo(405);
    assertThat(notARouteMethod.headers().firstValue("Allow")).hasValue("GET");
    assertThat(server.http("GET", "/api/greet", null).statusCode()).isEqualTo(405);
    HttpResponse<String> notAFileMethod = server.http("POST", "/index.html", "{}");
    assertThat(notAFileMethod.statusCode()).isEqualTo(405);
    assertThat(notAFileMethod.headers().firstValue("Allow")).hasValue("GET, HEAD");
    assertThat(server.get("/api/hello?name=still-serving").statusCode()).isEqualTo(200);
  }

  @Test
  void aRouteReachesWebSocketSubscribersThroughThePublisher() {
    WsRecorder client = server.connect();
    client.send("ping");
    assertThat(client.next()).isEqualTo("pong");
    HttpResponse<String> trigger = server.http("POST", "/api/trigger", "from http");
    assertThat(json(trigger).get("reached").asInt()).isEqualTo(1);
    assertThat(client.nextState("session").asString()).isEqualTo("from http");
  }
}
