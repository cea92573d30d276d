package dev.reactivews.testing;

import static org.awaitility.Awaitility.await;

import dev.reactivews.Message;
import dev.reactivews.Peer;
import dev.reactivews.WsHandler;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What a handler's hooks saw, one string per event in the order they ran: {@code open}, {@code
 * message <text>}, {@code binary <hex>}, {@code subscribed <topic>}, {@code close <code>},
 * {@code error <exception class>}.
 */
public final class HookLog {
  /** Texts with this prefix are sent back as they are by {@link #handler()}: the tests' marker. */
  public static final String ECHO = "echo:";

  private final List<String> events = new CopyOnWriteArrayList<>();

  /** Records an event. */
  public void add(String event) {
    events.add(event);
  }

  /** Every event so far, in order. */
  public List<String> events() {
    return List.copyOf(events);
  }

  /** The events that start with the prefix, in order. */
  public List<String> eventsStartingWith(String prefix) {
    return events.stream().filter(e -> e.startsWith(prefix)).toList();
  }

  /** Waits until the event has been recorded. */
  public void awaitEvent(String event) {
    await().until(() -> events.contains(event));
  }

  /**
   * Sends {@link #ECHO}{@code name} through the client's mailbox and returns the next message: the
   * marker itself, unless the server sent something before it.
   */
  public static String marker(WsRecorder client, String name) {
    client.send(ECHO + name);
    return client.next();
  }

  /** Records the message, and answers a text starting with {@link #ECHO} with the same text. */
  public void message(Peer peer, Message message) {
    if (message.isBinary()) {
      add("binary " + HexFormat.of().formatHex(message.bytes()));
      return;
    }
    add("message " + message.text());
    if (message.text().startsWith(ECHO)) {
      peer.send(message.text());
    }
  }

  /**
   * A handler that records every hook here and answers each text starting with {@link #ECHO}
   * with the same text. Set a hook on the builder to replace the recording one.
   */
  public WsHandler.Builder handler() {
    return WsHandler.builder()
        .onOpen(peer -> add("open"))
        .onMessage(this::message)
        .onSubscribed((peer, topic) -> add("subscribed " + topic))
        .onClose((peer, event) -> add("close " + event.code()))
        .onError((peer, error) -> add("error " + error.getClass().getSimpleName()));
  }
}
