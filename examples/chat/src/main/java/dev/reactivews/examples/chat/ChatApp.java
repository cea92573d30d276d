package dev.reactivews.examples.chat;

import dev.reactivews.WsConfig;
import dev.reactivews.netty.HttpContext;
import dev.reactivews.netty.ReactiveWs;
import dev.reactivews.storage.Storage;
import dev.reactivews.storage.StorageDriver;
import java.util.Map;
import java.util.UUID;

/**
 * Seed 003, the nuxt-ws chat, in Java: the page at {@code /}, the WebSocket at {@code /_ws},
 * and {@code /api/ws/trigger} to publish a notification from plain HTTP.
 */
public final class ChatApp {
  static final String NOTIFICATIONS = "notifications";

  private ChatApp() {}

  public static void main(String[] args) {
    int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "3000"));
    ReactiveWs server = start(port);
    Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "chat-shutdown"));
    System.out.println("Chat running at http://localhost:" + server.port() + "/");
  }

  /** Starts the chat on the port (0 for any free one) with in-memory storage. */
  public static ReactiveWs start(int port) {
    StorageDriver driver = StorageDriver.memory();
    WsConfig ws = WsConfig.builder()
        .route("/_ws")
        .defaults(ChatHandler.SESSION)
        .internals("_internal")
        .loadEnvironment(System.getenv())
        .build();
    return ReactiveWs.create(cfg -> cfg
            .ws(ws)
            .storage(driver)
            .handler(new ChatHandler(Storage.create(driver, "ws")))
            .staticFiles("public")
            .get("/api/ws/trigger", ChatApp::trigger)
            .post("/api/ws/trigger", ChatApp::trigger))
        .start(port);
  }

  /** Publishes {@code {"message", "id"}} on {@code notifications}; the message comes from the JSON body or {@code ?message=}. */
  private static Object trigger(HttpContext ctx) {
    String message = ctx.query("message");
    if (message == null && !ctx.body().isBlank()) {
      message = ctx.bodyAs(TriggerRequest.class).message();
    }
    Map<String, String> notification = Map.of(
        "message", message == null || message.isBlank() ? "Hello from the server" : message,
        "id", UUID.randomUUID().toString());
    int delivered = ctx.publisher().publish(NOTIFICATIONS, notification);
    return Map.of("notification", notification, "delivered", delivered);
  }

  record TriggerRequest(String message) {}
}
