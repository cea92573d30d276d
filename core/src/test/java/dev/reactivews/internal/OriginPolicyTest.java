package dev.reactivews.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class OriginPolicyTest {
  private final OriginPolicy sameOriginOnly = new OriginPolicy(Set.of());
  private final OriginPolicy listed =
      new OriginPolicy(Set.of("https://chat.example.com", "https://*.example.org", "http://localhost:3000"));

  @Test
  void theServersOwnOriginPassesWhateverTheCaseAndTheDefaultPortsWritten() {
    assertThat(sameOriginOnly.allows("http://chat.local:8080", "chat.local:8080")).isTrue();
    assertThat(sameOriginOnly.allows("https://Chat.Local", "CHAT.local")).isTrue();
    assertThat(sameOriginOnly.allows("https://chat.local", "chat.local:443")).isTrue();
    assertThat(sameOriginOnly.allows("http://chat.local:80", "chat.local")).isTrue();
    assertThat(sameOriginOnly.allows("http://[::1]:8080", "[::1]:8080")).isTrue();
  }

  @Test
  void anotherHostPortOrSchemePortIsAnotherOrigin() {
    assertThat(sameOriginOnly.allows("http://chat.local:8081", "chat.local:8080")).isFalse();
    assertThat(sameOriginOnly.allows("http://chat.local", "chat.local:443")).isFalse();
    assertThat(sameOriginOnly.allows("https://evil.example", "chat.local")).isFalse();
    assertThat(sameOriginOnly.allows("https://chat.local.evil.example", "chat.local")).isFalse();
    assertThat(sameOriginOnly.allows("chrome-extension://abc", "abc")).isFalse();
    assertThat(sameOriginOnly.allows("http://chat.local", null)).isFalse();
  }

  @Test
  void withoutOriginEverythingPassesAndOriginNullOnlyWhenEveryOriginIsAllowed() {
    assertThat(sameOriginOnly.allows(null, "chat.local")).isTrue();
    assertThat(sameOriginOnly.allows("null", "chat.local")).isFalse();
    assertThat(listed.allows("null", "chat.local")).isFalse();
    assertThat(new OriginPolicy(Set.of("*")).allows("null", "chat.local")).isTrue();
    assertThat(new OriginPolicy(Set.of("*")).allows("https://anywhere.example", "chat.local")).isTrue();
  }

  @Test
  void listedOriginsPassExactlyOrAsSubdomainsOfAPattern() {
    assertThat(listed.allows("https://chat.example.com", "api.local")).isTrue();
    assertThat(listed.allows("HTTPS://CHAT.EXAMPLE.COM:443", "api.local")).isTrue();
    assertThat(listed.allows("http://localhost:3000", "api.local")).isTrue();
    assertThat(listed.allows("https://a.example.org", "api.local")).isTrue();
    assertThat(listed.allows("https://a.b.example.org", "api.local")).isTrue();

    assertThat(listed.allows("http://chat.example.com", "api.local")).as("scheme").isFalse();
    assertThat(listed.allows("https://chat.example.com:8443", "api.local")).as("port").isFalse();
    assertThat(listed.allows("https://example.org", "api.local")).as("the domain itself").isFalse();
    assertThat(listed.allows("https://evilexample.org", "api.local")).isFalse();
    assertThat(listed.allows("https://*.example.org", "api.local")).isFalse();
    assertThat(listed.allows("http://localhost:3001", "api.local")).isFalse();
    assertThat(listed.allows("https://chat.example.com/path", "api.local")).isFalse();
  }

  @Test
  void anEntryThatCanNeverMatchIsRefusedUpFront() {
    for (String entry : new String[] {"chat.example.com", "https://", "https://a*.example.com", "https://*",
        "https://chat.example.com:99999", "https://chat.example.com/"}) {
      assertThatThrownBy(() -> OriginPolicy.check(Set.of(entry))).as(entry).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
