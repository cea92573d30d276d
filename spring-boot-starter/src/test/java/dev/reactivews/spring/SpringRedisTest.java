package dev.reactivews.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reactivews.WsHandler;
import dev.reactivews.WsPublisher;
import dev.reactivews.redis.RedisServer;
import dev.reactivews.spring.SpringTestApps.MinimalApp;
import dev.reactivews.storage.Storage;
import dev.reactivews.testing.WsRecorder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** {@code ws.storage.driver: redis}: two Spring Boot nodes on one real Redis behave as one server. */
@Timeout(60)
class SpringRedisTest {
  @RegisterExtension
  static final RedisServer redis = RedisServer.perTestClass();

  private final List<AutoCloseable> opened = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable resource : opened.reversed()) {
      resource.close();
    }
  }

  /** Tells every peer how many peers the cluster has. */
  @Configuration(proxyBeanMethods = false)
  static class CountingApp {
    @Bean
    WsHandler count() {
      return WsHandler.defineWSHandler(h -> h.onPeerCountChanged(
          (count, thisNode) -> thisNode.publish("session", Map.of("users", count))));
    }
  }

  private ConfigurableApplicationContext node() {
    ConfigurableApplicationContext context = SpringTestApps.start(List.of(MinimalApp.class, CountingApp.class),
        "ws.topics.defaults=session", "ws.storage.driver=redis", "ws.storage.redis.url=" + redis.url(),
        "ws.storage.redis.key-prefix=spring-test", "ws.storage.redis.presence-ttl=2s");
    opened.add(context);
    return context;
  }

  private WsRecorder connect(ConfigurableApplicationContext node) {
    WsRecorder client = WsRecorder.connect(SpringTestApps.port(node), "/_ws");
    opened.add(client);
    return client;
  }

  @Test
  void storagePublishesAndPeerCountsAreSharedThroughRedis() {
    ConfigurableApplicationContext a = node();
    ConfigurableApplicationContext b = node();

    a.getBean(Storage.class).setItem("greeting", "hello from a");
    assertThat(b.getBean(Storage.class).getItem("greeting", String.class)).isEqualTo("hello from a");

    WsRecorder onA = connect(a).subscribe("news");
    WsRecorder onB = connect(b);
    await().until(() -> onA.state("session") != null && onA.state("session").get("users").intValue() == 2
        && onB.state("session") != null && onB.state("session").get("users").intValue() == 2);

    await().until(() -> {
      b.getBean(WsPublisher.class).publish("news", "from b");
      return onA.state("news") != null;
    });
    assertThat(onA.state("news").asString()).isEqualTo("from b");
  }
}
