package dev.reactivews.examples.chathandler;

import dev.reactivews.testing.WsRecorder;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** The {@code chat} state frames a raw client got: whole lists, each with its version {@code v}. */
public final class ChatFrames {
  private ChatFrames() {}

  /** Skips messages until the chat state at that version, and returns the frame. */
  public static JsonNode nextAt(WsRecorder client, long version) {
    return client.nextMatching(frame -> isChat(frame) && frame.path("v").asLong(-1) == version);
  }

  /** The version of every chat state the client got, in order; -1 for one without. */
  public static List<Long> versions(WsRecorder client) {
    return chatFrames(client).stream().map(frame -> frame.path("v").asLong(-1)).toList();
  }

  /** The length of every chat list the client got, in order. */
  public static List<Integer> lengths(WsRecorder client) {
    return chatFrames(client).stream().map(frame -> frame.path("payload").size()).toList();
  }

  /** The ids of the lines of the client's last chat state, in order. */
  public static List<String> ids(WsRecorder client) {
    JsonNode chat = client.state(ChatHandler.CHAT);
    return chat == null ? List.of() : chat.findValuesAsString("id");
  }

  private static List<JsonNode> chatFrames(WsRecorder client) {
    return client.received().stream().map(WsRecorder::parse).filter(ChatFrames::isChat).toList();
  }

  private static boolean isChat(JsonNode frame) {
    return ChatHandler.CHAT.equals(frame.path("topic").asString(null)) && frame.has("payload");
  }
}
