package dev.reactivews.spring;

import dev.reactivews.WsConfig;
import dev.reactivews.WsHandler;
import dev.reactivews.WsPublisher;
import dev.reactivews.transport.WsEngine;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Spring Boot apps on a random port, as the starter's tests start them. */
final class SpringTestApps {

  private SpringTestApps() {}

  /** An app with nothing but auto-configuration, Spring Security left out (it is on the test class path). */
  @SpringBootConfiguration
  @EnableAutoConfiguration(excludeName = {
      "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
      "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
      "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
      "org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration"})
  static class MinimalApp {}

  /** Starts the configuration classes on a random port with the properties ({@code key=value}). */
  static ConfigurableApplicationContext start(List<Class<?>> sources, String... properties) {
    List<String> all = new ArrayList<>(List.of("server.port=0", "spring.main.banner-mode=off"));
    all.addAll(List.of(properties));
    return new SpringApplicationBuilder(sources.toArray(Class<?>[]::new))
        .web(WebApplicationType.SERVLET)
        .properties(all.toArray(String[]::new))
        .run();
  }

  /** Starts the minimal app with this WebSocket config and handler as beans. */
  static ConfigurableApplicationContext start(WsConfig config, WsHandler handler) {
    return new SpringApplicationBuilder(MinimalApp.class)
        .web(WebApplicationType.SERVLET)
        .properties("server.port=0", "spring.main.banner-mode=off")
        .initializers(context -> {
          context.getBeanFactory().registerSingleton("testWsConfig", config);
          context.getBeanFactory().registerSingleton("testWsHandler", handler);
        })
        .run();
  }

  static int port(ConfigurableApplicationContext context) {
    return context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
  }

  static WsEngine engine(ConfigurableApplicationContext context) {
    return context.getBean(WsEngine.class);
  }

  static WsPublisher publisher(ConfigurableApplicationContext context) {
    return context.getBean(WsPublisher.class);
  }
}
