package dev.reactivews.examples.chat;

import dev.reactivews.WsConfig;
import dev.reactivews.examples.chathandler.ChatHandler;
import dev.reactivews.examples.chathandler.ChatTrigger;
import dev.reactivews.examples.chathandler.ChatValidation;
import dev.reactivews.examples.chathandler.LegacyChatHistory;
import dev.reactivews.netty.HttpContext;
import dev.reactivews.netty.HttpException;
import dev.reactivews.netty.ReactiveWs;
import dev.reactivews.netty.ServerConfig;
import dev.reactivews.redis.ReactiveWsRedis;
import dev.reactivews.storage.StorageDriver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * nuxt-ws's chat example, in Java: the page at {@code /}, the WebSocket at {@code /_ws},
 * and {@code POST /api/ws/trigger} ({@link ChatTrigger}) to publish a notification from plain
 * HTTP.
 *
 * <p>The chat history is the state topic {@link ChatHandler#CHAT_STATE}. With {@code REDIS_URL}
 * set, it is one node of a cluster: chat history in Redis, publishes and the user count shared by
 * every node started with the same Redis. Else {@code STORAGE_DIR} keeps the history in files;
 * else it lives in memory. A history an earlier release kept by hand is moved into the state
 * topic at start ({@link LegacyChatHistory}).
 */
public final class ChatApp {
  static final String NOTIFICATIONS = "notifications";
  /** nuxt-ws's {@code useStorage('ws')}: where an earlier release kept the chat history. */
  static final String STORAGE_NAMESPACE = "ws";
  /** Every interface, where the chat listens without {@code HOST}. */
  static final String ANY_HOST = "0.0.0.0";
  private static final Logger LOG = LoggerFactory.getLogger(ChatApp.class);

  private ChatApp() {}

  public static void main(String[] args) {
    int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "3000"));
    ReactiveWs server = start(port);
    Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "chat-shutdown"));
    String host = host(System.getenv());
    System.out.println("Chat running at http://" + (host.equals(ANY_HOST) ? "localhost" : host) + ":" + server.port() + "/");
  }

  /** Starts the chat on the port (0 for any free one), configured by this process's environment. */
  public static ReactiveWs start(int port) {
    return start(port, System.getenv());
  }

  /**
   * Starts the chat on the port (0 for any free one), configured by the environment: {@code
   * HOST} for the address it listens on (every interface by default), {@code WS_*} for the
   * WebSocket, {@code REDIS_URL} (and {@code REDIS_KEY_PREFIX}, {@code REDIS_PRESENCE_TTL}) or
   * {@code STORAGE_DIR} for where the chat lives, {@code CHAT_VALIDATION} for how a publish is
   * validated ({@code bean}, the default, or {@code json-schema}: {@link ChatValidation}).
   */
  public static ReactiveWs start(int port, Map<String, String> environment) {
    WsConfig ws = WsConfig.builder()
        .route("/_ws")
        .defaults(ChatHandler.SESSION)
        .internals("_internal")
        .states(ChatHandler.CHAT_STATE)
        .loadEnvironment(environment)
        .build();
    ChatValidation validation = ChatValidation.named(environment.get("CHAT_VALIDATION"));
    ReactiveWs server = ReactiveWs.create(cfg -> cfg
            .ws(ws)
            .host(host(environment))
            .storage(storage(cfg, environment))
            .handler(new ChatHandler(validation.schema()))
            .staticFiles("public")
            .post(ChatTrigger.PATH, ChatApp::trigger))
        .start(port);
    try {
      LegacyChatHistory.importInto(server.storage(STORAGE_NAMESPACE), server.states());
    } catch (RuntimeException e) {
      server.stop();
      throw e;
    }
    return server;
  }

  /** The address of {@code HOST}, or every interface. */
  private static String host(Map<String, String> environment) {
    String host = environment.get("HOST");
    return host == null || host.isBlank() ? ANY_HOST : host.trim();
  }

  /** Redis for storage, backplane and presence; or files; or memory. */
  private static StorageDriver storage(ServerConfig cfg, Map<String, String> environment) {
    String redisUrl = environment.get("REDIS_URL");
    if (redisUrl != null && !redisUrl.isBlank()) {
      ReactiveWsRedis redis = ReactiveWsRedis.builder(redisUrl.trim()).loadEnvironment(environment).connect();
      cfg.backplane(redis.backplane()).presence(redis.presence()).closeOnStop(redis);
      LOG.info("chat on Redis: storage, publishes and user count shared with every node on it");
      return redis.storage();
    }
    String directory = environment.get("STORAGE_DIR");
    if (directory != null && !directory.isBlank()) {
      LOG.info("chat history in files under {}", directory);
      return StorageDriver.fileSystem(Path.of(directory.trim()));
    }
    return StorageDriver.memory();
  }

  /**
   * The trigger route, registered for POST only: the server answers any other method with 405
   * before it runs.
   */
  private static Object trigger(HttpContext ctx) {
    ChatTrigger.Answer answer =
        ChatTrigger.answer(ctx.publisher(), ctx.method(), ctx.header("Content-Type"),
        ctx.body().getBytes(StandardCharsets.UTF_8));
    if (answer.status() != 200) {
      throw new HttpException(answer.status(), String.valueOf(answer.body().get("error")));
    }
    return answer.body();
  }
}
