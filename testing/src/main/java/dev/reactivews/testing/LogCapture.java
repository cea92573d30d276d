package dev.reactivews.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What the server logs to the console while it is open, whichever logging backend writes it
 * (slf4j-simple writes to {@code System.err}, Spring Boot's Logback to {@code System.out}): both
 * streams are copied here and still reach the console. One at a time; close it to stop.
 */
public final class LogCapture implements AutoCloseable {
  private final PrintStream originalOut = System.out;
  private final PrintStream originalErr = System.err;
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

  private LogCapture() {
    System.setOut(new PrintStream(new Tee(originalOut), true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(new Tee(originalErr), true, StandardCharsets.UTF_8));
  }

  /** Starts copying the console. */
  public static LogCapture start() {
    return new LogCapture();
  }

  /** Everything written so far. */
  public String text() {
    synchronized (captured) {
      return captured.toString(StandardCharsets.UTF_8);
    }
  }

  /** Everything written so far, line by line. */
  public List<String> lines() {
    return text().lines().toList();
  }

  @Override
  public void close() {
    System.out.flush();
    System.err.flush();
    System.setOut(originalOut);
    System.setErr(originalErr);
  }

  /** Writes to the original stream and to {@link #captured}. */
  private final class Tee extends OutputStream {
    private final OutputStream original;

    Tee(OutputStream original) {
      this.original = original;
    }

    @Override
    public void write(int b) throws IOException {
      original.write(b);
      synchronized (captured) {
        captured.write(b);
      }
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      original.write(bytes, offset, length);
      synchronized (captured) {
        captured.write(bytes, offset, length);
      }
    }

    @Override
    public void flush() throws IOException {
      original.flush();
    }
  }
}
