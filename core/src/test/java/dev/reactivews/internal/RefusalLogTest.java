package dev.reactivews.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RefusalLogTest {
  private final AtomicLong now = new AtomicLong(-5);
  private final RefusalLog refusals = new RefusalLog(LoggerFactory.getLogger(RefusalLogTest.class), "p1", now::get);

  private void advanceSeconds(long seconds) {
    now.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
  }

  @Test
  void theFirstRefusalThenOneLinePerTenSecondsWithTheCountLeftOut() {
    assertThat(refusals.line("one")).isEqualTo("peer p1: refused: one");
    for (int i = 0; i < 500; i++) {
      assertThat(refusals.line("flood " + i)).isNull();
    }
    advanceSeconds(9);
    assertThat(refusals.line("still within")).isNull();
    advanceSeconds(1);
    assertThat(refusals.line("later"))
        .isEqualTo("peer p1: refused: later (501 more of this peer not logged since its last line)");
    assertThat(refusals.line("again")).isNull();
    advanceSeconds(60);
    assertThat(refusals.line("quiet")).isEqualTo("peer p1: refused: quiet (1 more of this peer not logged since its last line)");
    advanceSeconds(10);
    assertThat(refusals.line("alone")).isEqualTo("peer p1: refused: alone");
  }

  @Test
  void clientTextInAReasonCannotForgeALine() {
    assertThat(refusals.line("topic 'x\nINFO dev.reactivews - forged'"))
        .isEqualTo("peer p1: refused: topic 'x\\u000aINFO dev.reactivews - forged'")
        .doesNotContain("\n");
  }
}
