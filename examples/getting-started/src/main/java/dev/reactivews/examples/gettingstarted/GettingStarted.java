package dev.reactivews.examples.gettingstarted;

import dev.reactivews.WsHandler;
import dev.reactivews.netty.ReactiveWs;
import java.util.Map;

/** The smallest reactive-ws app: what one client sends, every client gets as the state of "lobby". */
public final class GettingStarted {
  /** A line a client sent, as every client gets it. */
  record Said(String from, String text) {}

  private GettingStarted() {}

  public static void main(String[] args) {
    ReactiveWs server = start(Integer.parseInt(System.getenv().getOrDefault("PORT", "8080")));
    Runtime.getRuntime().addShutdownHook(new Thread(server::stop));   // Ctrl+C closes every peer with 1001
    System.out.println("WebSocket at ws://localhost:" + server.port() + "/_ws");
  }

  /** Starts the app on the port, 0 for any free one. */
  public static ReactiveWs start(int port) {
    WsHandler handler = WsHandler.builder()
        .onOpen(peer -> peer.sendState("lobby", Map.of("welcome", peer.id())))
        .onMessage((peer, message) -> {
          Said said = new Said(peer.id(), message.text());
          peer.sendState("lobby", said);      // to the sender
          peer.publishState("lobby", said);   // to every other subscriber of "lobby"
        })
        .build();
    return ReactiveWs.create(cfg -> cfg
            .ws(ws -> ws.route("/_ws").defaults("lobby"))   // every peer is subscribed on open, for good
            .handler(handler))
        .start(port);
  }
}
