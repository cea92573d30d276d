package dev.reactivews.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The code a Markdown page shows and the code the build compiles, in one form, so that a test
 * fails when a page's snippet and its source differ:
 *
 * <pre>{@code
 * assertThat(DocSnippets.codeBlocks(readme, "## A 5-minute tour", "java"))
 *     .containsExactlyElementsOf(DocSnippets.regions(tourJava));
 * }</pre>
 *
 * <p>Every text comes back without trailing blanks and without the indentation all of its lines
 * share, so a region indented inside a class equals the same code flush left on the page.
 */
public final class DocSnippets {
  private static final Pattern REGION = Pattern.compile("(?ms)^[ \\t]*// readme:\\S+\\n(.*?)^[ \\t]*// end$");

  private DocSnippets() {}

  /**
   * The bodies of the page's code blocks in the language ({@code java} for a block opened with
   * {@code ```java}), in order, under the first {@code ## } heading that starts with {@code
   * heading} and in its subsections, up to the next {@code ## } heading. Throws {@link
   * IllegalArgumentException} when the page has no such heading, so that a renamed section fails
   * the test rather than compare nothing.
   */
  public static List<String> codeBlocks(Path markdown, String heading, String language) {
    List<String> blocks = new ArrayList<>();
    // Null outside a code block; a block of another language is read and dropped.
    StringBuilder block = null;
    String blockLanguage = null;
    boolean inSection = false;
    for (String line : text(markdown).lines().toList()) {
      if (block != null) {
        if (line.equals("```")) {
          if (inSection && language.equals(blockLanguage)) {
            blocks.add(unindented(block.toString()));
          }
          block = null;
        } else {
          block.append(line).append('\n');
        }
      } else if (line.startsWith("```")) {
        block = new StringBuilder();
        blockLanguage = line.substring(3);
      } else if (line.startsWith("## ")) {
        if (inSection) {
          break;
        }
        inSection = line.startsWith(heading);
      }
    }
    if (!inSection) {
      throw new IllegalArgumentException(markdown + " has no heading that starts with " + heading);
    }
    return blocks;
  }

  /**
   * The regions of a source file that a page shows, in order: each from a line {@code //
   * readme:NAME} to the next line {@code // end}, both left out.
   */
  public static List<String> regions(Path source) {
    List<String> regions = new ArrayList<>();
    Matcher region = REGION.matcher(text(source));
    while (region.find()) {
      regions.add(unindented(region.group(1)));
    }
    return regions;
  }

  /** The whole source file, for a page that shows all of it. */
  public static String wholeFile(Path source) {
    return unindented(text(source));
  }

  private static String unindented(String text) {
    List<String> lines = text.stripTrailing().lines().map(String::stripTrailing).toList();
    int shared = lines.stream().filter(line -> !line.isEmpty())
        .mapToInt(line -> line.length() - line.stripLeading().length()).min().orElse(0);
    return String.join("\n", lines.stream().map(line -> line.isEmpty() ? line : line.substring(shared)).toList());
  }

  private static String text(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
