package dev.reactivews.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * {@link JsonPatch} on the public RFC 6902 conformance suite, the npm package
 * json-patch-test-suite 1.1.0, which core's pom installs into {@code src/test/npm/node_modules}
 * ({@code npm ci}). Every record is one test: one with {@code expected} must give it, one with
 * {@code error} must throw, one with neither must apply; none may change its document. A record
 * marked {@code disabled} by the suite is reported as skipped.
 */
@Timeout(30)
class JsonPatchConformanceTest {
  private static final Path SUITE = Path.of("src/test/npm/node_modules/json-patch-test-suite");
  private static final ObjectMapper MAPPER = Json.mapperBuilder().build();
  /** The records of version 1.1.0, so that a suite that is empty or not found cannot pass. */
  private static final int RECORDS = 78 + 17;
  private static final int DISABLED = 3 + 1;

  @TestFactory
  List<DynamicTest> everyRecordOfTheSuite() throws Exception {
    assertThat(SUITE).as("the suite, installed by `npm ci` in core/src/test/npm (core's pom runs it)").isDirectory();
    List<DynamicTest> tests = new ArrayList<>();
    AtomicInteger ran = new AtomicInteger();
    int disabled = 0;
    for (String file : List.of("tests.json", "spec_tests.json")) {
      JsonNode records = MAPPER.readTree(Files.readString(SUITE.resolve(file)));
      for (int index = 0; index < records.size(); index++) {
        JsonNode record = records.get(index);
        String name = file + " #" + index + ": " + record.path("comment").asString("(no comment)");
        if (record.path("disabled").asBoolean(false)) {
          disabled++;
          tests.add(DynamicTest.dynamicTest(name + " [disabled by the suite]",
              () -> Assumptions.abort("the suite disables this record")));
        } else {
          tests.add(DynamicTest.dynamicTest(name, () -> {
            run(record);
            ran.incrementAndGet();
          }));
        }
      }
    }
    int enabled = tests.size() - disabled;
    assertThat(tests).as("records in the suite").hasSize(RECORDS);
    assertThat(disabled).as("records the suite disables").isEqualTo(DISABLED);
    tests.add(DynamicTest.dynamicTest("every enabled record ran and passed",
        () -> assertThat(ran).as("records run").hasValue(enabled)));
    return tests;
  }

  private static void run(JsonNode record) {
    JsonNode document = record.get("doc");
    JsonNode before = document.deepCopy();
    JsonNode patch = record.get("patch");
    if (record.has("error")) {
      assertThatThrownBy(() -> JsonPatch.apply(document, patch))
          .as("expected error: %s", record.get("error").asString())
          .isInstanceOf(JsonPatchException.class);
    } else if (record.has("expected")) {
      assertThat(JsonPatch.apply(document, patch)).isEqualTo(record.get("expected"));
    } else {
      assertThat(JsonPatch.apply(document, patch)).isNotNull();
    }
    assertThat(document).as("the document given").isEqualTo(before);
  }
}
