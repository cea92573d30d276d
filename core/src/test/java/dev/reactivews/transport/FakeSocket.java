package dev.reactivews.transport;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A transport connection that records what the engine writes to it. A close only marks it
 * closing, as a real one stays until the client answers: the test reports the end to the
 * engine's listener itself.
 */
public final class FakeSocket implements WsSocket {
  private final List<String> written = new CopyOnWriteArrayList<>();
  private volatile int closeCode;

  @Override
  public boolean write(OutboundFrame frame) {
    if (closeCode != 0) {
      return false;
    }
    written.add(new String(frame.bytes(), StandardCharsets.UTF_8));
    return true;
  }

  @Override
  public void close(int code, String reason) {
    if (closeCode == 0) {
      closeCode = code;
    }
  }

  @Override
  public boolean isOpen() {
    return closeCode == 0;
  }

  /** Every frame written, as text, in order. */
  public List<String> written() {
    return List.copyOf(written);
  }

  /** The code the engine closed the connection with; 0 while it has not. */
  public int closeCode() {
    return closeCode;
  }
}
