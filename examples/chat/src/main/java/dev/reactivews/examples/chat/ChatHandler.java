package dev.reactivews.examples.chat;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.reactivews.Message;
import dev.reactivews.Peer;
import dev.reactivews.SendOptions;
import dev.reactivews.WsHandler;
import dev.reactivews.WsMessages;
import dev.reactivews.WsPublisher;
import dev.reactivews.storage.Storage;
import dev.reactivews.validation.BeanSchema;
import dev.reactivews.validation.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Seed 003's server handler: chat history in storage, the user count on {@code session}.
 *
 * <p>Each line carries a sequence number, one up from the line before it, set in the same atomic
 * update that appends it; the list goes out with its last line's number as the state's version.
 * So when two nodes append at once and their lists cross on the way, every node drops the older
 * one, and every client's last {@code chat} state is the newest list.
 */
public final class ChatHandler implements WsHandler {
  /** One line of the chat, as stored and as sent in the {@code chat} state; {@code seq} counts from 1. */
  record ChatLine(String user, String text, long seq) {}

  /** {@code {type:'publish', topic:'chat', payload:{text}}}, as the seed's valibot schema. */
  record ChatPublish(
      @NotNull @Pattern(regexp = "publish") String type,
      @NotNull @Pattern(regexp = "chat") String topic,
      @NotNull @Valid Payload payload) {}

  record Payload(@NotBlank @Size(max = 2000) String text) {}

  static final String CHAT = "chat";
  static final String SESSION = "session";
  /** Lines kept and sent: the whole list goes out on every message, as in the seed, so it is bounded. */
  static final int MAX_HISTORY = 500;
  private static final TypeReference<List<ChatLine>> CHAT_LINES = new TypeReference<>() {};
  private static final Schema<ChatPublish> CHAT_PUBLISH = BeanSchema.of(ChatPublish.class);

  private final Storage storage;

  /** A handler keeping the chat history in the storage (the seed's {@code useStorage('ws')}). */
  public ChatHandler(Storage storage) {
    this.storage = storage;
  }

  @Override
  public void open(Peer peer) {
    sendChat(peer);
  }

  /** The seed publishes the user count from open and close; this runs after both, on every node. */
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
    ChatPublish publish = WsMessages.validate(CHAT_PUBLISH, message);
    String user = peer.id();
    String text = publish.payload().text();
    List<ChatLine> chat = storage.update(CHAT, CHAT_LINES, lines -> append(lines, user, text));
    SendOptions options = versioned(chat);
    peer.sendState(CHAT, chat, options);
    peer.publishState(CHAT, chat, options);
  }

  /** The stored list plus the line, keeping the last {@link #MAX_HISTORY} lines. */
  private static List<ChatLine> append(List<ChatLine> lines, String user, String text) {
    List<ChatLine> next = lines == null ? new ArrayList<>() : new ArrayList<>(lines);
    next.add(new ChatLine(user, text, next.isEmpty() ? 1 : next.getLast().seq() + 1));
    return next.size() > MAX_HISTORY ? new ArrayList<>(next.subList(next.size() - MAX_HISTORY, next.size())) : next;
  }

  /** Sends the stored list; a newer one already sent to this peer wins over it. */
  private void sendChat(Peer peer) {
    List<ChatLine> chat = storage.getItem(CHAT, CHAT_LINES);
    if (chat != null && !chat.isEmpty()) {
      peer.sendState(CHAT, chat, versioned(chat));
    }
  }

  /** The list's version is its last line's number, which grows with every append. */
  private static SendOptions versioned(List<ChatLine> chat) {
    return SendOptions.COMPRESS.version(chat.getLast().seq());
  }
}
