package dev.reactivews.examples.chat;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.reactivews.CloseEvent;
import dev.reactivews.Message;
import dev.reactivews.Peer;
import dev.reactivews.SendOptions;
import dev.reactivews.WsHandler;
import dev.reactivews.WsMessages;
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
import java.util.concurrent.locks.ReentrantLock;

/** Seed 003's server handler: chat history in storage, the user count on {@code session}. */
final class ChatHandler implements WsHandler {
  /** One line of the chat, as stored and as sent in the {@code chat} state. */
  record ChatLine(String user, String text) {}

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
  /**
   * Orders each state with its broadcast: without it two chat lists (or two user counts) could
   * go out in the opposite order, and everyone would keep the older one as their last state.
   * Also held when one peer is sent the list, for the same reason.
   */
  private final ReentrantLock broadcast = new ReentrantLock();

  ChatHandler(Storage storage) {
    this.storage = storage;
  }

  @Override
  public void open(Peer peer) {
    sendChat(peer);
    inOrder(() -> {
      Map<String, Integer> session = Map.of("users", peer.peers().size());
      peer.sendState(SESSION, session, SendOptions.COMPRESS);
      peer.publishState(SESSION, session, SendOptions.COMPRESS);
    });
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
    ChatLine line = new ChatLine(peer.id(), publish.payload().text());
    inOrder(() -> {
      List<ChatLine> chat = storage.update(CHAT, CHAT_LINES, lines -> append(lines, line));
      peer.sendState(CHAT, chat, SendOptions.COMPRESS);
      peer.publishState(CHAT, chat, SendOptions.COMPRESS);
    });
  }

  @Override
  public void close(Peer peer, CloseEvent event) {
    inOrder(() -> peer.publishState(SESSION, Map.of("users", peer.peers().size()), SendOptions.COMPRESS));
  }

  /** The stored list plus the line, keeping the last {@link #MAX_HISTORY} lines. */
  private static List<ChatLine> append(List<ChatLine> lines, ChatLine line) {
    List<ChatLine> next = lines == null ? new ArrayList<>() : new ArrayList<>(lines);
    next.add(line);
    return next.size() > MAX_HISTORY ? new ArrayList<>(next.subList(next.size() - MAX_HISTORY, next.size())) : next;
  }

  /** Sends the stored list in order with the broadcasts, so that it cannot overtake a newer one. */
  private void sendChat(Peer peer) {
    inOrder(() -> {
      List<ChatLine> chat = storage.getItem(CHAT, CHAT_LINES);
      if (chat != null) {
        peer.sendState(CHAT, chat, SendOptions.COMPRESS);
      }
    });
  }

  private void inOrder(Runnable readAndBroadcast) {
    broadcast.lock();
    try {
      readAndBroadcast.run();
    } finally {
      broadcast.unlock();
    }
  }
}
