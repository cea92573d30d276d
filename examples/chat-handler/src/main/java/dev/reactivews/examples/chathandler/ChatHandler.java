package dev.reactivews.examples.chathandler;

import dev.reactivews.Message;
import dev.reactivews.Peer;
import dev.reactivews.SendOptions;
import dev.reactivews.WsHandler;
import dev.reactivews.WsMessages;
import dev.reactivews.WsPublisher;
import dev.reactivews.state.StateTopic;
import dev.reactivews.validation.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * nuxt-ws's chat example's server handler, on the state topic {@link #CHAT_STATE}: each valid
 * publish appends one line, and the framework keeps the history, versions it and sends it to
 * every subscriber; the user count goes out on {@code session}.
 */
public final class ChatHandler implements WsHandler {
  /**
   * One line of the chat, as kept in the {@code chat} state: {@code id} is the line's own, for
   * ever, so pages and clients key lines by it, not by their place in the list, which moves once
   * the history is full.
   */
  public record ChatLine(String id, String user, String text) {}

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

  public static final String CHAT = "chat";
  public static final String SESSION = "session";
  /** Lines kept and sent: a client without patches gets the whole list on every line, so it is bounded. */
  public static final int MAX_HISTORY = 500;
  /** The chat's history, a state topic to declare in the server's config. */
  public static final StateTopic CHAT_STATE = StateTopic.list(CHAT).maxItems(MAX_HISTORY).compress(true);

  private final Schema<ChatPublish> publishSchema;

  /** A handler validating each publish with the Bean Validation records. */
  public ChatHandler() {
    this(ChatValidation.BEAN.schema());
  }

  /** A handler validating each publish with the schema. */
  public ChatHandler(Schema<ChatPublish> publishSchema) {
    this.publishSchema = Objects.requireNonNull(publishSchema, "publishSchema == null");
  }

  /** nuxt-ws's chat publishes the user count from open and close; this runs after both, on every node. */
  @Override
  public void peerCountChanged(int count, WsPublisher thisNode) {
    thisNode.publish(SESSION, Map.of("users", count), SendOptions.COMPRESS);
  }

  @Override
  public void message(Peer peer, Message message) {
    ChatPublish publish = WsMessages.validate(publishSchema, message);
    ChatLine line = new ChatLine(UUID.randomUUID().toString(), peer.id(), publish.payload().text());
    peer.states().list(CHAT, ChatLine.class).append(line);
  }
}
