package bench.peer.spring;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.handler.SessionLimitExceededException;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The bench protocol as a Spring user writes it: sessions in a map, topics as sets of sessions, each
 * session wrapped in a {@link ConcurrentWebSocketSessionDecorator} so that concurrent sends are safe,
 * and nuxt-ws's chat as a read-append-write on a map (not atomic, as in nuxt-ws's chat).
 */
@Component
public class BenchHandler extends TextWebSocketHandler {

  private static final Logger log = LoggerFactory.getLogger(BenchHandler.class);

  private static final int SEND_TIME_LIMIT_MS = 10_000;
  private static final int SEND_BUFFER_LIMIT_BYTES = 1024 * 1024;
  private static final String SESSION = "session";
  private static final String CHAT = "chat";
  /** The state scenarios' list (docs/benchmarks.md): each publish appended, the whole list published. */
  private static final String LIST = "list";
  private static final String LIST_TEXT = "x".repeat(56);

  record ChatLine(String user, String text) {}

  record ListEntry(long n, String text) {}

  record Envelope(String topic, Object payload) {}

  record Users(int users) {}

  private final JsonMapper json;
  private final Map<String, WebSocketSession> sessions = new ConcurrentHashMap<>();
  private final Map<String, Set<WebSocketSession>> topics = new ConcurrentHashMap<>();
  private final Map<String, List<ChatLine>> storage = new ConcurrentHashMap<>();
  private final Map<String, List<Object>> lists = new ConcurrentHashMap<>();
  private final Object countLock = new Object();

  public BenchHandler(JsonMapper json) {
    this.json = json;
    int prefill = Integer.parseInt(System.getenv().getOrDefault("LIST_PREFILL", "0"));
    List<Object> entries = new ArrayList<>(prefill);
    for (int n = 0; n < prefill; n++) {
      entries.add(new ListEntry(n, LIST_TEXT));
    }
    lists.put(LIST, entries);
  }

  @Override
  public void afterConnectionEstablished(WebSocketSession raw) {
    WebSocketSession session =
        new ConcurrentWebSocketSessionDecorator(raw, SEND_TIME_LIMIT_MS, SEND_BUFFER_LIMIT_BYTES);
    sessions.put(raw.getId(), session);
    subscribe(SESSION, session);
    publishSessionCount();
  }

  @Override
  protected void handleTextMessage(WebSocketSession raw, TextMessage message) {
    WebSocketSession session = sessions.get(raw.getId());
    if (session == null) {
      return;
    }
    String text = message.getPayload();
    if ("ping".equals(text)) {
      send(session, new TextMessage("pong"));
      return;
    }
    JsonNode m;
    try {
      m = json.readTree(text);
    } catch (JacksonException e) {
      return; // not JSON: nothing in the protocol, dropped
    }
    String type = m.path("type").asString("");
    JsonNode topicNode = m.path("topic");
    if (!topicNode.isString()) {
      return;
    }
    String topic = topicNode.asString();
    switch (type) {
      case "subscribe" -> subscribe(topic, session);
      case "unsubscribe" -> {
        if (!SESSION.equals(topic)) {
          unsubscribe(topic, session);
        }
      }
      case "publish" -> {
        if (CHAT.equals(topic)) {
          chat(session, m.path("payload").path("text"));
        } else if (LIST.equals(topic)) {
          append(m.get("payload"));
        } else {
          publish(topic, new Envelope(topic, m.get("payload")), null);
        }
      }
      default -> { }
    }
  }

  /** nuxt-ws's chat example: read the list, append, write it back, send it to the sender and the subscribers. */
  private void chat(WebSocketSession sender, JsonNode textNode) {
    if (!textNode.isString()) {
      return;
    }
    List<ChatLine> chat = storage.getOrDefault(CHAT, List.of());
    List<ChatLine> newChat = new ArrayList<>(chat.size() + 1);
    newChat.addAll(chat);
    newChat.add(new ChatLine(sender.getId(), textNode.asString()));
    storage.put(CHAT, newChat);

    TextMessage out = toMessage(new Envelope(CHAT, newChat));
    send(sender, out);
    publish(CHAT, out, sender);
  }

  /** As the chat: read the list, append, write it back, publish the whole list. */
  private void append(JsonNode entry) {
    if (entry == null) {
      return;
    }
    List<Object> list = lists.getOrDefault(LIST, List.of());
    List<Object> newList = new ArrayList<>(list.size() + 1);
    newList.addAll(list);
    newList.add(entry);
    lists.put(LIST, newList);
    publish(LIST, new Envelope(LIST, newList), null);
  }

  @Override
  public void afterConnectionClosed(WebSocketSession raw, CloseStatus status) {
    WebSocketSession session = sessions.remove(raw.getId());
    if (session == null) {
      return;
    }
    for (Set<WebSocketSession> subscribers : topics.values()) {
      subscribers.remove(session);
    }
    publishSessionCount();
  }

  @Override
  public void handleTransportError(WebSocketSession session, Throwable exception) {
    log.debug("transport error on {}: {}", session.getId(), exception.toString());
  }

  /**
   * Under a lock, so that the counts of joins and leaves racing on Tomcat's threads reach every
   * session in the order they were read: the last one each session gets is the current count.
   */
  private void publishSessionCount() {
    synchronized (countLock) {
      publish(SESSION, new Envelope(SESSION, new Users(sessions.size())), null);
    }
  }

  private void subscribe(String topic, WebSocketSession session) {
    topics.computeIfAbsent(topic, t -> ConcurrentHashMap.newKeySet()).add(session);
  }

  private void unsubscribe(String topic, WebSocketSession session) {
    Set<WebSocketSession> subscribers = topics.get(topic);
    if (subscribers != null) {
      subscribers.remove(session);
    }
  }

  private void publish(String topic, Envelope envelope, WebSocketSession except) {
    publish(topic, toMessage(envelope), except);
  }

  /** Sends the same message to every subscriber of the topic but {@code except}. */
  private void publish(String topic, TextMessage message, WebSocketSession except) {
    Set<WebSocketSession> subscribers = topics.get(topic);
    if (subscribers == null) {
      return;
    }
    for (WebSocketSession subscriber : subscribers) {
      if (subscriber != except) {
        send(subscriber, message);
      }
    }
  }

  private TextMessage toMessage(Envelope envelope) {
    return new TextMessage(json.writeValueAsString(envelope));
  }

  private void send(WebSocketSession session, TextMessage message) {
    if (!session.isOpen()) {
      return;
    }
    try {
      session.sendMessage(message);
    } catch (SessionLimitExceededException e) {
      // Too slow: over the send time or buffer limit. Close it, as Spring's own STOMP handler does.
      log.debug("closing slow session {}: {}", session.getId(), e.getMessage());
      try {
        session.close(e.getStatus());
      } catch (IOException ignored) {
        // already gone
      }
    } catch (IOException | IllegalStateException e) {
      log.debug("send to {} failed: {}", session.getId(), e.toString());
    }
  }
}
