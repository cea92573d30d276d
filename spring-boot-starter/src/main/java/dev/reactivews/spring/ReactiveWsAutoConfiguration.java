package dev.reactivews.spring;

import dev.reactivews.WsConfig;
import dev.reactivews.WsHandler;
import dev.reactivews.WsMetrics;
import dev.reactivews.WsPublisher;
import dev.reactivews.cluster.Backplane;
import dev.reactivews.cluster.Presence;
import dev.reactivews.redis.ReactiveWsRedis;
import dev.reactivews.spring.internal.ClientResourcesHandler;
import dev.reactivews.spring.internal.EngineStates;
import dev.reactivews.spring.internal.MicrometerMetrics;
import dev.reactivews.spring.internal.ReactiveWsLifecycle;
import dev.reactivews.spring.internal.SpringWebSocketBridge;
import dev.reactivews.spring.internal.UpgradeInterceptor;
import dev.reactivews.state.WsStates;
import dev.reactivews.storage.Storage;
import dev.reactivews.storage.StorageDriver;
import dev.reactivews.transport.ClientResources;
import dev.reactivews.transport.WsEngine;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistration;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;
import tools.jackson.databind.json.JsonMapper;

/**
 * reactive-ws on the app's own servlet container: the route of {@code ws.route} on the app's
 * port, the browser client under {@value ClientResources#PATH_PREFIX}, and beans for the
 * engine, the {@link WsPublisher}, the {@link WsStates}, the {@link StorageDriver} and the {@link
 * Storage}. The app
 * brings a {@link WsHandler} bean (none means the framework's behaviour alone). The app's
 * {@link JsonMapper}, the one Spring Boot configures from {@code spring.jackson.*}, writes the
 * states and data the app sends and what the {@link Storage} keeps.
 */
// After Jackson's, so that the app's Boot-configured JsonMapper (spring.jackson.*) writes the states.
@AutoConfiguration(afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
// The connection relies on Tomcat's Jakarta WebSocket sessions (async sends, the blocking-send timeout).
@ConditionalOnClass(name = "org.apache.tomcat.websocket.server.WsSci")
@EnableConfigurationProperties(ReactiveWsProperties.class)
@EnableWebSocket
public class ReactiveWsAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  public WsConfig reactiveWsConfig(ReactiveWsProperties properties) {
    return properties.toWsConfig();
  }

  @Bean
  @ConditionalOnMissingBean
  public StorageDriver reactiveWsStorageDriver(ReactiveWsProperties properties) {
    ReactiveWsProperties.Storage storage = properties.getStorage();
    return switch (storage.getDriver()) {
      case MEMORY -> StorageDriver.memory();
      case FS -> {
        if (storage.getDir() == null) {
          throw new IllegalStateException("ws.storage.driver=fs needs ws.storage.dir");
        }
        yield StorageDriver.fileSystem(storage.getDir());
      }
      case REDIS -> throw new IllegalStateException(
          "ws.storage.driver=redis needs dev.reactivews:reactive-ws-redis on the class path and ws.storage.redis.url");
    };
  }

  @Bean
  @ConditionalOnMissingBean
  public Storage reactiveWsStorage(StorageDriver driver, ReactiveWsProperties properties,
      ObjectProvider<JsonMapper> jsonMapper) {
    String namespace = properties.getStorage().getNamespace();
    JsonMapper mapper = jsonMapper.getIfAvailable();
    return mapper != null ? Storage.create(driver, namespace, mapper) : Storage.create(driver, namespace);
  }

  @Bean
  @ConditionalOnMissingBean
  public WsEngine reactiveWsEngine(WsConfig config, ObjectProvider<WsHandler> handler, StorageDriver driver,
      ObjectProvider<Backplane> backplane, ObjectProvider<Presence> presence, ObjectProvider<WsMetrics> metrics,
      ObjectProvider<JsonMapper> jsonMapper) {
    WsEngine.Builder builder = WsEngine.builder(config, handler.getIfAvailable(() -> WsHandler.builder().build()));
    backplane.ifAvailable(builder::backplane);
    presence.ifAvailable(builder::presence);
    metrics.ifAvailable(builder::metrics);
    jsonMapper.ifAvailable(builder::jsonMapper);
    if (!config.stateTopics().isEmpty()) {
      try {
        builder.stateStore(driver.stateStore());
      } catch (UnsupportedOperationException e) {
        throw new IllegalStateException("ws.topics.states declares state topics, and the storage driver cannot keep "
            + "them: " + e.getMessage(), e);
      }
    }
    WsEngine engine = builder.build();
    engine.start();
    return engine;
  }

  /**
   * The engine's publisher, reached when a publish happens: the handler bean the engine is built
   * from may itself take the publisher.
   */
  @Bean
  @ConditionalOnMissingBean
  public WsPublisher reactiveWsPublisher(ObjectProvider<WsEngine> engine) {
    SingletonSupplier<WsPublisher> publisher = SingletonSupplier.of(() -> engine.getObject().publisher());
    return (topic, payload, options) -> publisher.obtain().publish(topic, payload, options);
  }

  /** The engine's state topics, reached when first used, for the same reason as the publisher. */
  @Bean
  @ConditionalOnMissingBean
  public WsStates reactiveWsStates(ObjectProvider<WsEngine> engine) {
    SingletonSupplier<WsStates> states = SingletonSupplier.of(() -> engine.getObject().states());
    return new EngineStates(states::obtain);
  }

  @Bean
  public SpringWebSocketBridge reactiveWsBridge(WsEngine engine) {
    return new SpringWebSocketBridge(engine);
  }

  @Bean
  public ReactiveWsLifecycle reactiveWsLifecycle(WsEngine engine, SpringWebSocketBridge bridge,
      ReactiveWsProperties properties) {
    return new ReactiveWsLifecycle(engine, bridge);
  }

  /** The container's buffers must hold the largest message allowed, else it closes with 1009 first. */
  @Bean
  @ConditionalOnMissingBean
  public ServletServerContainerFactoryBean reactiveWsContainer(WsConfig config) {
    ServletServerContainerFactoryBean container = new ServletServerContainerFactoryBean();
    container.setMaxTextMessageBufferSize(config.maxMessageBytes());
    container.setMaxBinaryMessageBufferSize(config.maxMessageBytes());
    return container;
  }

  @Bean
  public WebSocketConfigurer reactiveWsRoute(WsEngine engine, SpringWebSocketBridge bridge) {
    return registry -> {
      DefaultHandshakeHandler handshake = new DefaultHandshakeHandler();
      handshake.setSupportedProtocols(engine.config().subprotocols().toArray(String[]::new));
      WebSocketHandlerRegistration registration = registry.addHandler(bridge, engine.config().route())
          .setHandshakeHandler(handshake);
      // The engine checks the Origin (ws.allowed-origins) as on every transport, before the app's
      // upgrade hook; Spring's own check, which would refuse in its own way, lets every origin through.
      registration.addInterceptors(new UpgradeInterceptor(engine)).setAllowedOriginPatterns("*");
    };
  }

  @Bean
  public SimpleUrlHandlerMapping reactiveWsClientResources(WsConfig config) {
    SimpleUrlHandlerMapping mapping =
        new SimpleUrlHandlerMapping(Map.of(ClientResources.PATH_PREFIX + "**", new ClientResourcesHandler(config)));
    mapping.setOrder(Ordered.HIGHEST_PRECEDENCE);
    return mapping;
  }

  /** Micrometer, when the app has a registry (the actuator brings one). */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(MeterRegistry.class)
  static class Micrometer {
    @Bean
    @ConditionalOnMissingBean
    WsMetrics reactiveWsMetrics(ObjectProvider<MeterRegistry> registry) {
      MeterRegistry meters = registry.getIfAvailable();
      return meters == null ? WsMetrics.NONE : new MicrometerMetrics(meters);
    }
  }

  /** {@code ws.storage.driver=redis}: storage, publishes and peer counts shared through Redis. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "dev.reactivews.redis.ReactiveWsRedis")
  @ConditionalOnProperty(name = "ws.storage.driver", havingValue = "redis")
  static class Redis {
    @Bean(destroyMethod = "close")
    ReactiveWsRedis reactiveWsRedis(ReactiveWsProperties properties) {
      ReactiveWsProperties.Redis redis = properties.getStorage().getRedis();
      if (redis.getUrl() == null || redis.getUrl().isBlank()) {
        throw new IllegalStateException("ws.storage.driver=redis needs ws.storage.redis.url");
      }
      ReactiveWsRedis.Builder builder = ReactiveWsRedis.builder(redis.getUrl().trim());
      if (redis.getKeyPrefix() != null) {
        builder.keyPrefix(redis.getKeyPrefix());
      }
      if (redis.getPresenceTtl() != null) {
        builder.presenceTtl(redis.getPresenceTtl());
      }
      if (redis.getMaxPendingPublishBytes() != null) {
        builder.maxPendingPublishBytes(redis.getMaxPendingPublishBytes());
      }
      if (redis.getHealthCheckInterval() != null) {
        builder.healthCheckInterval(redis.getHealthCheckInterval());
      }
      return builder.connect();
    }

    @Bean
    @ConditionalOnMissingBean
    StorageDriver reactiveWsRedisStorageDriver(ReactiveWsRedis redis) {
      return redis.storage();
    }

    @Bean
    @ConditionalOnMissingBean
    Backplane reactiveWsBackplane(ReactiveWsRedis redis) {
      return redis.backplane();
    }

    @Bean
    @ConditionalOnMissingBean
    Presence reactiveWsPresence(ReactiveWsRedis redis) {
      return redis.presence();
    }
  }
}
