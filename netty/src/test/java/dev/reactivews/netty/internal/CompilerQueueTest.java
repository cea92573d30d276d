package dev.reactivews.netty.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The {@code Compiler.queue} text as HotSpot prints it (JDK 25), and this JVM's own. */
class CompilerQueueTest {
  private static final String IDLE = """
      Current compiles:\s

      C1 compile queue:
      Empty

      C2 compile queue:
      Empty

      """;

  private static final String COMPILING_WITH_A_BACKLOG = """
      Current compiles:\s
      C2 CompilerThread0  3577       4       io.netty.buffer.AbstractByteBuf::writeShort (26 bytes)

      C1 compile queue:
      Empty

      C2 compile queue:
      3572       4       io.netty.util.internal.DefaultPriorityQueue::peek (5 bytes)
      3589       4       io.netty.buffer.AbstractByteBuf::writeBytes (30 bytes)

      """;

  @Test
  void idleWhenNothingRunsAndC2HasNothingQueued() {
    assertThat(CompilerQueue.busy(IDLE)).contains(false);
  }

  @Test
  void busyWhileACompilationRunsOrWaitsForC2() {
    assertThat(CompilerQueue.busy(COMPILING_WITH_A_BACKLOG)).contains(true);
    assertThat(CompilerQueue.busy(IDLE.replace("C2 compile queue:\nEmpty",
        "C2 compile queue:\n3589       4       io.netty.buffer.AbstractByteBuf::writeBytes (30 bytes)"))).contains(true);
    assertThat(CompilerQueue.busy(IDLE.replace("Current compiles: \n",
        "Current compiles: \nC1 CompilerThread0  3601       3       java.lang.String::length (11 bytes)\n"))).contains(true);
  }

  @Test
  void aTextOfAnotherShapeCannotBeRead() {
    assertThat(CompilerQueue.busy("")).isEmpty();
    assertThat(CompilerQueue.busy("Unknown diagnostic command")).isEmpty();
    assertThat(CompilerQueue.busy(IDLE.replace("C2 compile queue:", "JVMCI compile queue:"))).isEmpty();
  }

  @Test
  void thisJvmsQueueCanBeRead() {
    // The suite runs on HotSpot: a queue it could not read would leave every warm-up to its count.
    assertThat(CompilerQueue.ofThisJvm()).hasValueSatisfying(queue -> assertThat(queue.busy()).isPresent());
  }
}
