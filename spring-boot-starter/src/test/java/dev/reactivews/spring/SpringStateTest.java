package dev.reactivews.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reactivews.redis.RedisServer;
import dev.reactivews.spring.SpringTestApps.MinimalApp;
import dev.reactivews.state.ListState;
import dev.reactivews.state.StateVersion;
import dev.reactivews.state.WsStates;
import dev.reactivews.storage.StorageDriver;
import dev.reactivews.testing.WsRecorder;
import dev.reactivews.testing.WsTransport;
import dev.reactivews.testing.suite.StateSuite;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.JsonNode;

/** The state suite on Spring Boot, and the state topics as {@code application.yml} declares them. */
class SpringStateTest extends StateSuite {
  @RegisterExtension
  static final RedisServer redis = RedisServer.perTestClass();

  @Override
  protected WsTransport transport() {
    return new SpringTransport();
  }

  @Test
  void theStatesOfTheYamlBlockAreKeptAndTheirBeanChangesThem() {
    try (ConfigurableApplicationContext context = SpringTestApps.start(List.of(MinimalApp.class),
        "ws.topics.states[0].topic=chat", "ws.topics.states[0].kind=list", "ws.topics.states[0].max-items=2")) {
      WsStates states = context.getBean(WsStates.class);
      try (WsRecorder client = WsRecorder.connect(SpringTestApps.port(context), "/_ws")) {
        client.subscribe("chat");
        assertThat(client.next()).isEqualTo("{\"topic\":\"chat\",\"v\":0,\"payload\":[]}");
        for (String text : List.of("1", "2", "3")) {
          states.list("chat", Line.class).append(new Line("a", text));
        }
        StateVersion last = states.list("chat", Line.class).read().version();
        assertThat(client.nextMatching(frame -> frame.path("v").asLong() == 3).get("payload").toString())
            .as("capped at max-items")
            .isEqualTo("[{\"user\":\"a\",\"text\":\"2\"},{\"user\":\"a\",\"text\":\"3\"}]");
        assertThat(last.number()).isEqualTo(3);
      }
    }
  }

  @Test
  void theRedisDriverKeepsTheStateTopicsOfTheYamlBlock() {
    try (ConfigurableApplicationContext context = SpringTestApps.start(List.of(MinimalApp.class),
        "ws.storage.driver=redis", "ws.storage.redis.url=" + redis.url(),
        "ws.topics.states[0].topic=chat", "ws.topics.states[0].kind=list")) {
      context.getBean(WsStates.class).list("chat", Line.class).append(new Line("a", "kept in Redis"));
      try (WsRecorder client = WsRecorder.connect(SpringTestApps.port(context), "/_ws")) {
        client.subscribe("chat");
        JsonNode state = WsRecorder.parse(client.next());
        assertThat(state.get("v").asLong()).isEqualTo(1);
        assertThat(state.get("payload").toString()).isEqualTo("[{\"user\":\"a\",\"text\":\"kept in Redis\"}]");
      }
    }
  }

  @Test
  void aDeltaPeerResumesFromTheRedisStoresLog() {
    try (ConfigurableApplicationContext context = SpringTestApps.start(List.of(MinimalApp.class),
        "ws.storage.driver=redis", "ws.storage.redis.url=" + redis.url(),
        "ws.topics.states[0].topic=resumed", "ws.topics.states[0].kind=list")) {
      ListState<Line> resumed = context.getBean(WsStates.class).list("resumed", Line.class);
      StateVersion held = resumed.append(new Line("a", "1"));
      resumed.append(new Line("a", "2"));
      resumed.append(new Line("a", "3"));
      URI deltas = URI.create("ws://127.0.0.1:" + SpringTestApps.port(context) + "/_ws?rws=1");
      try (WsRecorder client = WsRecorder.connect(deltas, Map.of())) {
        client.send(subscribeHolding("resumed", held));
        assertThat(List.of(client.next(), client.next())).containsExactly(
            "{\"topic\":\"resumed\",\"v\":2,\"patch\":[{\"op\":\"add\",\"path\":\"/-\",\"value\":{\"user\":\"a\",\"text\":\"2\"}}]}",
            "{\"topic\":\"resumed\",\"v\":3,\"patch\":[{\"op\":\"add\",\"path\":\"/-\",\"value\":{\"user\":\"a\",\"text\":\"3\"}}]}");
        resumed.append(new Line("a", "4"));
        assertThat(WsRecorder.parse(client.next()).get("v").asLong()).isEqualTo(4);
      }
    }
  }

  /** A storage driver of the app's own that keeps no state topics. */
  @Configuration(proxyBeanMethods = false)
  static class DriverWithoutStates {
    @Bean
    StorageDriver appDriver() {
      StorageDriver memory = StorageDriver.memory();
      return new StorageDriver() {
        @Override
        public byte @Nullable [] get(String key) {
          return memory.get(key);
        }

        @Override
        public void set(String key, byte[] value) {
          memory.set(key, value);
        }

        @Override
        public boolean has(String key) {
          return memory.has(key);
        }

        @Override
        public boolean remove(String key) {
          return memory.remove(key);
        }

        @Override
        public List<String> keys(String prefix) {
          return memory.keys(prefix);
        }

        @Override
        public byte @Nullable [] update(String key, UnaryOperator<byte @Nullable []> fn) {
          return memory.update(key, fn);
        }
      };
    }
  }

  @Test
  void aDriverWithoutAStateStoreFailsTheStartNamingTheDriversThatHaveOne() {
    assertThatThrownBy(() -> SpringTestApps.start(List.of(MinimalApp.class, DriverWithoutStates.class),
        "ws.topics.states[0].topic=chat"))
        .hasStackTraceContaining("ws.topics.states declares state topics, and the storage driver cannot keep them")
        .rootCause()
        .hasMessageContaining("keeps no state topics: the memory, file-system and Redis drivers do");
  }
}
