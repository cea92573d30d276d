package dev.reactivews.spring;

import dev.reactivews.Peer;
import dev.reactivews.WsConfig;
import dev.reactivews.WsHandler;
import dev.reactivews.WsPublisher;
import dev.reactivews.testing.RunningServer;
import dev.reactivews.testing.WsTransport;
import java.util.Collection;
import org.springframework.context.ConfigurableApplicationContext;

/** A Spring Boot app on Tomcat, with the starter, as the transport of the shared suites. */
public final class SpringTransport implements WsTransport {
  @Override
  public RunningServer start(WsConfig config, WsHandler handler) {
    return new Running(SpringTestApps.start(config, handler));
  }

  private record Running(ConfigurableApplicationContext context) implements RunningServer {
    @Override
    public int port() {
      return SpringTestApps.port(context);
    }

    @Override
    public WsConfig config() {
      return context.getBean(WsConfig.class);
    }

    @Override
    public WsPublisher publisher() {
      return SpringTestApps.publisher(context);
    }

    @Override
    public Collection<Peer> peers() {
      return SpringTestApps.engine(context).peers();
    }

    @Override
    public void close() {
      context.close();
    }
  }
}
