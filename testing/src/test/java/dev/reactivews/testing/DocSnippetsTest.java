package dev.reactivews.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocSnippetsTest {
  @TempDir
  Path folder;

  @Test
  void codeBlocksAreThoseOfTheSectionAndItsSubsectionsInTheLanguage() throws IOException {
    Path page = write("page.md", """
        ## Before
        ```java
        before();
        ```
        ## The section, at length
        ```java
        first();
        ```
        ```bash
        ./mvnw verify
        ```
        ### A subsection
        ```java
          indented();
            further();
        ```
        ## After
        ```java
        after();
        ```
        """);

    assertThat(DocSnippets.codeBlocks(page, "## The section", "java"))
        .containsExactly("first();", "indented();\n  further();");
    assertThat(DocSnippets.codeBlocks(page, "## The section", "bash")).containsExactly("./mvnw verify");
  }

  @Test
  void aPageWithoutTheHeadingIsRefused() throws IOException {
    Path page = write("page.md", "## Another\n```java\ncode();\n```\n");

    assertThatThrownBy(() -> DocSnippets.codeBlocks(page, "## The section", "java"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("## The section");
  }

  @Test
  void regionsAreTheLinesBetweenTheirMarkersUnindented() throws IOException {
    Path source = write("App.java", """
        class App {
          void run() {
            // readme:start
            start();   // on any port
            // end
            notShown();
            // readme:stop
            stop();
            // end
          }
        }
        """);

    assertThat(DocSnippets.regions(source)).containsExactly("start();   // on any port", "stop();");
    assertThat(DocSnippets.wholeFile(source)).startsWith("class App {\n  void run() {").endsWith("  }\n}");
  }

  private Path write(String name, String text) throws IOException {
    return Files.writeString(folder.resolve(name), text);
  }
}
