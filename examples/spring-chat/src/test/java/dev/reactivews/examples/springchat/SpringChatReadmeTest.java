package dev.reactivews.examples.springchat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivews.testing.DocSnippets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README's Spring Boot snippets are regions of {@link SpringChatApplication}, whose chat
 * {@link SpringChatTest} runs.
 */
class SpringChatReadmeTest {
  private static final Path README = Path.of("../../README.md");
  private static final Path APP = Path.of("src/main/java/dev/reactivews/examples/springchat/SpringChatApplication.java");

  @Test
  void theSpringBootSectionsJavaSnippetsAreTheRegionsOfSpringChatApplication() {
    List<String> regions = DocSnippets.regions(APP);

    assertThat(regions).hasSize(2);
    assertThat(DocSnippets.codeBlocks(README, "## Spring Boot", "java"))
        .as("the Java snippets of the README's Spring Boot section, against the regions of %s", APP)
        .containsExactlyElementsOf(regions);
  }
}
