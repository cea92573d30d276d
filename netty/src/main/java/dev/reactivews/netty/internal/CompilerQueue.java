package dev.reactivews.netty.internal;

import java.lang.management.ManagementFactory;
import java.util.Optional;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Whether HotSpot's JIT has work: a compilation running, or one waiting for the optimising
 * compiler (C2). Read from the JVM's {@code Compiler.queue} diagnostic command, the text {@code
 * jcmd <pid> Compiler.queue} prints, through its platform MBean; a JVM without that command, or
 * whose text has another shape, has no queue to read.
 */
final class CompilerQueue {
  private static final String CURRENT = "Current compiles:";
  private static final String C1_QUEUE = "C1 compile queue:";
  private static final String C2_QUEUE = "C2 compile queue:";
  private static final String EMPTY = "Empty";

  private final MBeanServer beans;
  private final ObjectName command;

  private CompilerQueue(MBeanServer beans, ObjectName command) {
    this.beans = beans;
    this.command = command;
  }

  /** This JVM's queue, if it has one that can be read. */
  static Optional<CompilerQueue> ofThisJvm() {
    try {
      CompilerQueue queue = new CompilerQueue(ManagementFactory.getPlatformMBeanServer(),
          new ObjectName("com.sun.management:type=DiagnosticCommand"));
      return queue.busy().isPresent() ? Optional.of(queue) : Optional.empty();
    } catch (JMException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Whether a compilation runs or waits for C2 now; empty if the JVM's answer could not be read. */
  Optional<Boolean> busy() {
    try {
      Object text = beans.invoke(command, "compilerQueue", new Object[] {null}, new String[] {String[].class.getName()});
      return text instanceof String queue ? busy(queue) : Optional.empty();
    } catch (JMException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * Reads the command's text: the running compilations (one line each, none when idle), then each
   * compiler's queue, {@code Empty} or one line per method waiting.
   */
  static Optional<Boolean> busy(String queue) {
    int current = queue.indexOf(CURRENT);
    int c1 = queue.indexOf(C1_QUEUE);
    int c2 = queue.indexOf(C2_QUEUE);
    if (current < 0 || c1 < current || c2 < c1) {
      return Optional.empty();
    }
    boolean running = !queue.substring(current + CURRENT.length(), c1).isBlank();
    boolean waiting = !queue.substring(c2 + C2_QUEUE.length()).strip().startsWith(EMPTY);
    return Optional.of(running || waiting);
  }
}
