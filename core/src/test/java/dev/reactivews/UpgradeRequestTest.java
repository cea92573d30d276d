package dev.reactivews;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class UpgradeRequestTest {
  private static UpgradeRequest request(String target, Map<String, List<String>> headers) {
    return new UpgradeRequest(URI.create(target), headers, new InetSocketAddress("127.0.0.1", 5000));
  }

  @Test
  void queryParametersAreDecodedAndRepeatable() {
    UpgradeRequest request = request("/_ws?room=a%20b&tag=x&tag=y&flag&name=j+d&bad=%E9&&", Map.of());
    assertThat(request.path()).isEqualTo("/_ws");
    assertThat(request.query("room")).isEqualTo("a b");
    assertThat(request.queryMap().get("tag")).containsExactly("x", "y");
    assertThat(request.query("tag")).isEqualTo("x");
    assertThat(request.query("flag")).isEmpty();
    assertThat(request.query("name")).isEqualTo("j d");
    assertThat(request.query("bad")).as("not UTF-8").isEqualTo("\uFFFD");
    assertThat(request.query("missing")).isNull();
    assertThat(request("/_ws", Map.of()).queryMap()).isEmpty();
  }

  @Test
  void headersIgnoreCase() {
    UpgradeRequest request = request("/_ws", Map.of("X-Token", List.of("abc", "def")));
    assertThat(request.header("x-token")).isEqualTo("abc");
    assertThat(request.headerMap().get("X-TOKEN")).containsExactly("abc", "def");
    assertThat(request.header("missing")).isNull();
    assertThatThrownBy(() -> request.headerMap().put("a", List.of())).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void headersNamedAlikeInAnyCaseAreOneHeader() {
    UpgradeRequest request = request("/_ws", Map.of("X-Token", List.of("abc"), "x-token", List.of("def")));
    assertThat(request.headerMap()).hasSize(1);
    assertThat(request.headerMap().get("x-TOKEN")).containsExactlyInAnyOrder("abc", "def");
    assertThat(request.header("X-TOKEN")).isIn("abc", "def");
  }

  @Test
  void cookiesComeFromEveryCookieHeader() {
    UpgradeRequest request = request("/_ws", Map.of("cookie",
        List.of("session=s1; theme=\"dark\"; empty=; =nameless; flag", "session=later; lang=fr")));
    assertThat(request.cookie("session")).isEqualTo("s1");
    assertThat(request.cookie("theme")).isEqualTo("dark");
    assertThat(request.cookie("empty")).isEmpty();
    assertThat(request.cookie("lang")).isEqualTo("fr");
    assertThat(request.cookieMap()).containsOnlyKeys("session", "theme", "empty", "lang");
    assertThat(request("/_ws", Map.of()).cookieMap()).isEmpty();
  }

  @Test
  void attributesAreLiveAndRefuseNulls() {
    UpgradeRequest request = request("/_ws", Map.of());
    request.context("user", "ann");
    assertThat(request.context()).containsEntry("user", "ann");
    request.context().put("role", "admin");
    assertThat(request.context()).containsOnlyKeys("user", "role");
    assertThatThrownBy(() -> request.context("user", null)).isInstanceOf(NullPointerException.class);
    assertThat(request.remoteAddress().getPort()).isEqualTo(5000);
  }

  @Test
  void keepingOnlyNamedHeadersDropsTheOthersAndWhatWasParsedFromThem() {
    UpgradeRequest request = request("/_ws?room=a", Map.of(
        "X-Token", List.of("abc"), "User-Agent", List.of("browser"), "Cookie", List.of("sid=1")));
    assertThat(request.cookie("sid")).isEqualTo("1");
    assertThat(request.headerMap()).hasSize(3);
    request.context("user", "ann");

    request.keepOnlyHeaders(Set.of("x-token"));

    assertThat(request.header("X-Token")).isEqualTo("abc");
    assertThat(request.header("User-Agent")).isNull();
    assertThat(request.cookie("sid")).isNull();
    assertThat(request.headerMap()).containsOnlyKeys("X-Token");
    assertThat(request.query("room")).isEqualTo("a");
    assertThat(request.context()).containsEntry("user", "ann");
  }
}
