package dev.reactivews.netty;

import dev.reactivews.Peer;
import dev.reactivews.WsConfig;
import dev.reactivews.WsHandler;
import dev.reactivews.WsPublisher;
import dev.reactivews.state.WsStates;
import dev.reactivews.testing.RunningServer;
import dev.reactivews.testing.WsTransport;
import java.util.Collection;
import java.util.function.Consumer;

/** The embedded Netty server as the transport of the shared suites. */
public final class NettyTransport implements WsTransport {
  @Override
  public RunningServer start(WsConfig config, WsHandler handler) {
    return start(cfg -> cfg.ws(config).handler(handler));
  }

  /** A server with the full ServerConfig (HTTP routes, static files, storage...), on an ephemeral port. */
  public static Running start(Consumer<ServerConfig> configure) {
    return new Running(ReactiveWs.create(configure).start(0));
  }

  /** A started {@link ReactiveWs}, which a Netty-only test reaches for what other transports lack. */
  public record Running(ReactiveWs reactiveWs) implements RunningServer {
    @Override
    public int port() {
      return reactiveWs.port();
    }

    @Override
    public WsConfig config() {
      return reactiveWs.config();
    }

    @Override
    public WsPublisher publisher() {
      return reactiveWs.publisher();
    }

    @Override
    public WsStates states() {
      return reactiveWs.states();
    }

    @Override
    public Collection<Peer> peers() {
      return reactiveWs.peers();
    }

    @Override
    public void close() {
      reactiveWs.stop();
    }
  }
}
