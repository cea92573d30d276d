package dev.reactivews.spring;

import dev.reactivews.Peer;
import dev.reactivews.WsConfig;
import dev.reactivews.WsHandler;
import dev.reactivews.WsPublisher;
import dev.reactivews.state.WsStates;
import dev.reactivews.testing.RunningServer;
import dev.reactivews.testing.WsTransport;
import dev.reactivews.transport.WsEngine;
import java.util.Collection;
import org.springframework.context.ConfigurableApplicationContext;

/** A Spring Boot app on Tomcat, with the starter, as the transport of the shared suites. */
public final class SpringTransport implements WsTransport {
  @Override
  public RunningServer start(WsConfig config, WsHandler handler) {
    ConfigurableApplicationContext context = SpringTestApps.start(config, handler);
    return new Running(context, SpringTestApps.port(context), context.getBean(WsConfig.class),
        SpringTestApps.publisher(context), SpringTestApps.engine(context));
  }

  /** The beans are looked up at start: the suites still ask for the peers once the context is closed. */
  private record Running(ConfigurableApplicationContext context, int port, WsConfig config, WsPublisher publisher,
      WsEngine engine) implements RunningServer {
    @Override
    public WsStates states() {
      return engine.states();
    }

    @Override
    public Collection<Peer> peers() {
      return engine.peers();
    }

    @Override
    public void close() {
      context.close();
    }
  }
}
