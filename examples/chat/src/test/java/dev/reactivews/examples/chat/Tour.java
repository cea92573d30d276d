package dev.reactivews.examples.chat;

import dev.reactivews.SendOptions;
import dev.reactivews.UpgradeRejectedException;
import dev.reactivews.WsConfig;
import dev.reactivews.WsHandler;
import dev.reactivews.WsMessages;
import dev.reactivews.netty.ReactiveWs;
import dev.reactivews.state.StateTopic;
import dev.reactivews.validation.BeanSchema;
import dev.reactivews.validation.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.Map;
import java.util.UUID;

/**
 * The README's "A 5-minute tour" (with its authentication) as code that compiles and runs: each
 * region from a {@code // readme:} line to the next {@code // end} is one Java snippet of the tour,
 * in the tour's order.
 * {@link TourTest} fails when they differ, and chats with this server. The chat the examples ship
 * ({@code ChatHandler}, {@link ChatApp}) has the same hooks and state topic.
 */
final class Tour {
  private Tour() {}

  /** Starts the tour's chat on the port (0 for any free one). */
  static ReactiveWs start(int port) {
    // readme:config
    WsConfig ws = WsConfig.builder()
        .route("/_ws")            // WebSocket endpoint
        .defaults("session")      // every peer is subscribed on open and stays subscribed
        .internals("_internal")   // every peer is subscribed on open; only the server publishes
        .states(StateTopic.list("chat").maxItems(500).compress(true))   // kept, versioned and sent for us
        .build();
    // end

    // readme:handler
    record ChatLine(String id, String user, String text) {}
    record Payload(@NotBlank @Size(max = 2000) String text) {}
    record ChatPublish(@NotNull @Pattern(regexp = "publish") String type,
                       @NotNull @Pattern(regexp = "chat") String topic,
                       @NotNull @Valid Payload payload) {}

    Schema<ChatPublish> schema = BeanSchema.of(ChatPublish.class);      // the valibot schema

    WsHandler handler = WsHandler.defineReactiveWSHandler(h -> h
        .onPeerCountChanged((count, thisNode) ->                      // after every open and close
          thisNode.publish("session", Map.of("users", count), SendOptions.COMPRESS))
        .onMessage((peer, message) -> {
          ChatPublish publish = WsMessages.validate(schema, message);   // wsValidateMessage
          var line = new ChatLine(UUID.randomUUID().toString(), peer.id(), publish.payload().text());
          peer.states().list("chat", ChatLine.class).append(line);      // atomic: nothing is lost
        }));
    // end

    // readme:server
    ReactiveWs server = ReactiveWs.create(cfg -> cfg
            .ws(ws)
            .handler(handler)
            .staticFiles("public")                              // the page: public/ on the class path
            .post("/api/ws/trigger", ctx -> ctx.publisher()     // the original's ws:publish hook
                .publish("notifications", Map.of("message", "Hello", "id", UUID.randomUUID()))))
        .start(port);                                           // 0 = any free port, see port()
    // end
    return server;
  }

  /** A user of the app's own sessions. */
  record User(String name, boolean isAdmin) {}

  /**
   * The tour's authentication: only a peer whose {@code session} cookie is one of the sessions
   * connects, only admins reach {@code admin/} topics, and a topic's state in {@code states} goes to
   * each peer that subscribes to it.
   */
  static WsHandler authenticating(Map<String, User> sessions, Map<String, Object> states) {
    // readme:authentication
    WsHandler handler = WsHandler.builder()
        .onUpgrade(request -> {                 // before any socket opens
          User user = sessions.get(request.cookie("session"));
          if (user == null) throw UpgradeRejectedException.unauthorized();   // HTTP 401
          request.context("user", user);      // peer.context().get("user") from now on
        })
        .onAuthorize((peer, action, topic) ->   // SUBSCRIBE, UNSUBSCRIBE, PUBLISH
            !topic.startsWith("admin/") || ((User) peer.context().get("user")).isAdmin())
        .onSubscribed((peer, topic) -> peer.sendState(topic, states.getOrDefault(topic, Map.of())))
        .build();
    // end
    return handler;
  }
}
