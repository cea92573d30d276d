package dev.reactivews.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.reactivews.UpgradeRejectedException;
import dev.reactivews.WsHandler;
import dev.reactivews.spring.internal.UpgradeInterceptor;
import dev.reactivews.testing.WsRecorder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/** Spring Security in front of the handshake: who may connect, and who connected. */
@Timeout(60)
class SecurityTest {
  private ConfigurableApplicationContext context;
  private URI route;

  /** The route needs a logged-in user; the upgrade hook still refuses one of them. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class SecuredApp {
    @Bean
    SecurityFilterChain security(HttpSecurity http) throws Exception {
      return http
          .authorizeHttpRequests(requests -> requests.requestMatchers("/_ws").authenticated().anyRequest().permitAll())
          .httpBasic(Customizer.withDefaults())
          .csrf(csrf -> csrf.disable())
          .build();
    }

    @Bean
    UserDetailsService users() {
      return new InMemoryUserDetailsManager(
          User.withUsername("alice").password("{noop}wonderland").roles("USER").build(),
          User.withUsername("mallory").password("{noop}tricks").roles("USER").build());
    }

    @Bean
    WsHandler whoAmI() {
      return WsHandler.defineWSHandler(h -> h
          .onUpgrade(request -> {
            Principal user = (Principal) request.context().get(UpgradeInterceptor.PRINCIPAL);
            if (user != null && user.getName().equals("mallory")) {
              throw UpgradeRejectedException.forbidden();
            }
          })
          .onOpen(peer -> peer.send("hello " + ((Principal) peer.context().get(UpgradeInterceptor.PRINCIPAL)).getName())));
    }
  }

  @BeforeEach
  void start() {
    context = SpringTestApps.start(List.of(SecuredApp.class));
    route = URI.create("ws://127.0.0.1:" + SpringTestApps.port(context) + "/_ws");
  }

  @AfterEach
  void stop() {
    context.close();
  }

  private static Map<String, String> basic(String user, String password) {
    return Map.of("Authorization", "Basic "
        + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
  }

  private int refusedStatus(Map<String, String> headers) {
    WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder();
    headers.forEach(builder::header);
    Throwable failure = catchThrowable(
        () -> builder.buildAsync(route, new WebSocket.Listener() {}).join());
    assertThat(failure).isInstanceOf(CompletionException.class).cause().isInstanceOf(WebSocketHandshakeException.class);
    assertThat(SpringTestApps.engine(context).peers()).isEmpty();
    return ((WebSocketHandshakeException) failure.getCause()).getResponse().statusCode();
  }

  @Test
  void anUnauthenticatedHandshakeIsRefusedWith401() {
    assertThat(refusedStatus(Map.of())).isEqualTo(401);
    assertThat(refusedStatus(basic("alice", "wrong"))).isEqualTo(401);
  }

  @Test
  void theAuthenticatedPrincipalIsInThePeersContext() {
    try (WsRecorder client = WsRecorder.connect(route, basic("alice", "wonderland"))) {
      assertThat(client.next()).isEqualTo("hello alice");
    }
  }

  @Test
  void theUpgradeHookCanStillRefuseAnAuthenticatedUser() {
    assertThat(refusedStatus(basic("mallory", "tricks"))).isEqualTo(403);
  }
}
