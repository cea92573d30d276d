package dev.reactivews.examples.chathandler;

import com.fasterxml.jackson.annotation.JsonCreator;
import dev.reactivews.Message;
import dev.reactivews.Peer;
import dev.reactivews.SendOptions;
import dev.reactivews.WsHandler;
import dev.reactivews.WsMessages;
import dev.reactivews.WsPublisher;
import dev.reactivews.storage.Storage;
import dev.reactivews.validation.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * nuxt-ws's chat example's server handler: chat history in storage, the user count on {@code session}.
 *
 * <p>Each line carries a sequence number, one up from the line before it, set in the same atomic
 * update that appends it; the list goes out with its last line's number as the state's version.
 * So when two nodes append at once and their lists cross on the way, every node drops the older
 * one, and every client's last {@code chat} state is the newest list.
 *
 * <p>The stored history ({@code {"epoch":…,"lines":[…]}}) keeps the time it was started as the
 * versions' epoch. When it is lost (Redis restarted without its data, say), the next line starts
 * a history with a new epoch and numbers from 1 again, and every node takes it as the newest
 * instead of dropping it as older than the lines it had seen.
 */
public final class ChatHandler implements WsHandler {
  /** One line of the chat, as stored and as sent in the {@code chat} state; {@code seq} counts from 1. */
  public record ChatLine(String user, String text, long seq) {}

  /**
   * The stored history: its lines, and the epoch of their numbers (when it was started, in ms).
   * A history stored by an earlier release, a bare list of lines, is read with epoch 0.
   */
  public record ChatLog(long epoch, List<ChatLine> lines) {
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static ChatLog fromJson(JsonNode stored) {
      JsonNode lines = stored.isArray() ? stored : stored.path("lines");
      List<ChatLine> read = new ArrayList<>(lines.size());
      lines.forEach(line -> read.add(
          new ChatLine(line.path("user").asString(), line.path("text").asString(), line.path("seq").asLong())));
      return new ChatLog(stored.path("epoch").asLong(0), read);
    }
  }

  /**
   * {@code {type:'publish', topic:'chat', payload:{text}}}, as nuxt-ws's valibot schema; {@code
   * schemas/chat-publish.schema.json} has the same rules in JSON Schema.
   */
  public record ChatPublish(
      @NotNull @Pattern(regexp = "publish") String type,
      @NotNull @Pattern(regexp = "chat") String topic,
      @NotNull @Valid Payload payload) {}

  /** What a publish carries: the line, not blank, of at most 2,000 characters. */
  public record Payload(@NotBlank @Size(max = 2000) String text) {}

  static final String CHAT = "chat";
  public static final String SESSION = "session";
  /** Lines kept and sent: the whole list goes out on every message, as in nuxt-ws's chat, so it is bounded. */
  static final int MAX_HISTORY = 500;

  private final Storage storage;
  private final Schema<ChatPublish> publishSchema;

  /**
   * A handler keeping the chat history in the storage (nuxt-ws's {@code useStorage('ws')}),
   * validating with the Bean Validation records.
   */
  public ChatHandler(Storage storage) {
    this(storage, ChatValidation.BEAN.schema());
  }

  /** A handler keeping the chat history in the storage, validating each publish with the schema. */
  public ChatHandler(Storage storage, Schema<ChatPublish> publishSchema) {
    this.storage = Objects.requireNonNull(storage, "storage == null");
    this.publishSchema = Objects.requireNonNull(publishSchema, "publishSchema == null");
  }

  @Override
  public void open(Peer peer) {
    sendChat(peer);
  }

  /** nuxt-ws's chat publishes the user count from open and close; this runs after both, on every node. */
  @Override
  public void peerCountChanged(int count, WsPublisher thisNode) {
    thisNode.publish(SESSION, Map.of("users", count), SendOptions.COMPRESS);
  }

  @Override
  public void subscribed(Peer peer, String topic) {
    if (topic.equals(CHAT)) {
      sendChat(peer);
    }
  }

  @Override
  public void message(Peer peer, Message message) {
    ChatPublish publish = WsMessages.validate(publishSchema, message);
    String user = peer.id();
    String text = publish.payload().text();
    ChatLog chat = storage.update(CHAT, ChatLog.class, log -> append(log, user, text));
    SendOptions options = versioned(chat);
    peer.sendState(CHAT, chat.lines(), options);
    peer.publishState(CHAT, chat.lines(), options);
  }

  /**
   * The stored history plus the line, keeping the last {@link #MAX_HISTORY} lines; none stored
   * starts a history with a new epoch.
   */
  private static ChatLog append(ChatLog log, String user, String text) {
    ChatLog current = log == null ? new ChatLog(System.currentTimeMillis(), List.of()) : log;
    List<ChatLine> next = new ArrayList<>(current.lines());
    next.add(new ChatLine(user, text, next.isEmpty() ? 1 : next.getLast().seq() + 1));
    if (next.size() > MAX_HISTORY) {
      next = new ArrayList<>(next.subList(next.size() - MAX_HISTORY, next.size()));
    }
    return new ChatLog(current.epoch(), next);
  }

  /** Sends the stored list; a newer one already sent to this peer wins over it. */
  private void sendChat(Peer peer) {
    ChatLog chat = storage.getItem(CHAT, ChatLog.class);
    if (chat != null && !chat.lines().isEmpty()) {
      peer.sendState(CHAT, chat.lines(), versioned(chat));
    }
  }

  /** The list's version is its last line's number, which grows with every append, in its history's epoch. */
  private static SendOptions versioned(ChatLog chat) {
    return SendOptions.COMPRESS.withVersion(chat.epoch(), chat.lines().getLast().seq());
  }
}
