package dev.reactivews.examples.chathandler;

import dev.reactivews.examples.chathandler.ChatHandler.ChatLine;
import dev.reactivews.state.Versioned;
import dev.reactivews.state.WsStates;
import dev.reactivews.storage.Storage;
import dev.reactivews.storage.StorageException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The chat history that earlier releases kept by hand under the storage key {@value #KEY} (as
 * {@code [{user, text, seq}…]}, or {@code {"epoch":…,"lines":[…]}}), moved once into the state
 * topic {@link ChatHandler#CHAT_STATE} when the chat starts.
 *
 * <p>Each old line gets an id made of its history's epoch and its number, the same on every try:
 * so a second import (another node starting at the same time, or a start after a crash between
 * the import and the key's removal) finds its lines already there and adds none twice, and lines
 * sent before the import stay after the imported ones.
 */
public final class LegacyChatHistory {
  /** The key, in the chat's storage namespace, of the history kept by hand. */
  public static final String KEY = "chat";

  private static final Logger LOG = LoggerFactory.getLogger(LegacyChatHistory.class);

  private LegacyChatHistory() {}

  /**
   * Moves the history under {@value #KEY}, if any, into the chat's state topic, then removes the
   * key. A key holding anything but such a history (other JSON, or no JSON at all) is left as it
   * is, with a warning, and nothing is added.
   *
   * @throws StorageException if the storage or the state store cannot be reached
   */
  public static void importInto(Storage storage, WsStates states) {
    JsonNode stored;
    try {
      stored = storage.getItem(KEY, JsonNode.class);
    } catch (StorageException e) {
      if (!(e.getCause() instanceof JacksonException)) {
        throw e;
      }
      leftAsItIs(e.getMessage());
      return;
    }
    if (stored == null) {
      return;
    }
    List<ChatLine> legacy = linesOf(stored);
    if (legacy == null) {
      leftAsItIs(abbreviated(stored));
      return;
    }
    Versioned<List<ChatLine>> imported =
        states.list(ChatHandler.CHAT, ChatLine.class).update(current -> withLegacyFirst(legacy, current));
    storage.removeItem(KEY);
    LOG.info("moved the {} line(s) of the chat history under the storage key '{}' into the state topic '{}' "
        + "(now at version {}) and removed the key", legacy.size(), KEY, ChatHandler.CHAT, imported.version().number());
  }

  /** The old lines not yet in the list, then the list, keeping the newest {@link ChatHandler#MAX_HISTORY}. */
  private static List<ChatLine> withLegacyFirst(List<ChatLine> legacy, List<ChatLine> current) {
    Set<String> present = new HashSet<>();
    current.forEach(line -> present.add(line.id()));
    List<ChatLine> merged = new ArrayList<>();
    legacy.stream().filter(line -> !present.contains(line.id())).forEach(merged::add);
    if (merged.isEmpty()) {
      return current;
    }
    merged.addAll(current);
    return merged.size() > ChatHandler.MAX_HISTORY
        ? List.copyOf(merged.subList(merged.size() - ChatHandler.MAX_HISTORY, merged.size()))
        : merged;
  }

  /** The lines of a stored history, or null when it is not one: a line needs a string {@code user} and {@code text}. */
  private static @Nullable List<ChatLine> linesOf(JsonNode stored) {
    JsonNode lines = stored.isArray() ? stored : stored.path("lines");
    if (!lines.isArray()) {
      return null;
    }
    long epoch = stored.path("epoch").asLong(0);
    List<ChatLine> read = new ArrayList<>(lines.size());
    for (JsonNode line : lines) {
      if (!line.path("user").isString() || !line.path("text").isString()) {
        return null;
      }
      long number = line.path("seq").asLong(0) > 0 ? line.path("seq").asLong() : read.size() + 1;
      read.add(new ChatLine("legacy-" + epoch + "-" + number, line.get("user").asString(), line.get("text").asString()));
    }
    return read;
  }

  private static void leftAsItIs(String what) {
    LOG.warn("the storage key '{}' holds no chat history of an earlier release, left as it is: {}", KEY, what);
  }

  private static String abbreviated(JsonNode stored) {
    String text = stored.toString();
    return text.length() <= 200 ? text : text.substring(0, 200) + "…";
  }
}
