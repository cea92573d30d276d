package dev.reactivews.examples.gettingstarted;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivews.netty.ReactiveWs;
import dev.reactivews.testing.DocSnippets;
import dev.reactivews.testing.WsRecorder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The README's getting-started app is {@link GettingStarted}, whole, and it does what the README says. */
@Timeout(60)
class GettingStartedTest {
  private static final Path README = Path.of("../../README.md");
  private static final Path APP = Path.of("src/main/java/dev/reactivews/examples/gettingstarted/GettingStarted.java");

  @Test
  void theReadmeShowsTheWholeApp() {
    assertThat(DocSnippets.codeBlocks(README, "## In your own project", "java"))
        .as("the Java of the README's \"In your own project\", against %s", APP)
        .containsExactly(DocSnippets.wholeFile(APP));
  }

  @Test
  void whatOneClientSendsEveryClientGetsAsTheLobbysState() {
    ReactiveWs server = GettingStarted.start(0);
    try (WsRecorder ann = WsRecorder.connect(server.port(), "/_ws");
         WsRecorder bob = WsRecorder.connect(server.port(), "/_ws")) {
      String annId = ann.nextState("lobby").get("welcome").asString();
      assertThat(bob.nextState("lobby").get("welcome").asString()).isNotEmpty().isNotEqualTo(annId);

      ann.send("hello");

      for (WsRecorder client : new WsRecorder[] {ann, bob}) {
        var said = client.nextState("lobby");
        assertThat(said.get("from").asString()).isEqualTo(annId);
        assertThat(said.get("text").asString()).isEqualTo("hello");
      }
    } finally {
      server.stop();
    }
  }
}
