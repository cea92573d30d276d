package dev.reactivews.internal;

import dev.reactivews.Message;
import dev.reactivews.TopicAction;
import dev.reactivews.WsConfig;
import dev.reactivews.WsHandler;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * What a peer's messages mean, on its mailbox: {@code subscribe}, {@code unsubscribe} and {@code
 * publish} frames under the topic rules (default and internal topics, the topic cap, the app's
 * authorization), {@code resync} frames to the state topics, everything else to the app's message
 * hook. A frame that breaks the rules gets an error frame and goes no further.
 */
final class InboundProtocol {
  private final WsConfig config;
  private final WsHandler handler;
  private final Json json;
  private final HookRunner hooks;
  private final StateTopics states;

  InboundProtocol(WsConfig config, WsHandler handler, Json json, HookRunner hooks, StateTopics states) {
    this.config = config;
    this.handler = handler;
    this.json = json;
    this.hooks = hooks;
    this.states = states;
  }

  void text(RealPeer peer, String text) {
    Json.Parsed parsed = json.parseLenient(text);
    if (parsed.refused()) {
      refuseJson(peer, parsed.refusal());
      return;
    }
    JsonNode value = parsed.value();
    String type = typeOf(value);
    if ("resync".equals(type)) {
      resync(peer, value);
      return;
    }
    Message message = Message.text(text, value);
    TopicAction action = protocolAction(type);
    if (action == null) {
      hooks.run(peer, "message", () -> handler.message(peer, message));
      return;
    }
    String verb = action.name().toLowerCase(Locale.ROOT);
    String topic = topicOf(value);
    if (topic == null) {
      refuseTopic(peer, verb);
      return;
    }
    if (config.internalTopics().contains(topic)) {
      refuse(peer, ErrorCode.FORBIDDEN, "topic '" + topic + "' is internal: clients may only listen to it");
      return;
    }
    if (action == TopicAction.UNSUBSCRIBE && config.defaultTopics().contains(topic)) {
      refuse(peer, ErrorCode.FORBIDDEN, "topic '" + topic + "' is a default topic: every peer stays subscribed");
      return;
    }
    if (action == TopicAction.SUBSCRIBE && !peer.isSubscribed(topic) && peer.topicCount() >= config.maxTopicsPerPeer()) {
      refuse(peer, ErrorCode.TOO_MANY_TOPICS, "already subscribed to " + config.maxTopicsPerPeer()
          + " topics, the most this server allows: unsubscribe from one first");
      return;
    }
    // A plain peer takes whole states only: what it says it holds changes nothing, as before deltas.
    HeldVersions.Held held = action == TopicAction.SUBSCRIBE && peer.deltas ? HeldVersions.ofFrame(value) : null;
    if (held != null && held.problem() != null) {
      refuse(peer, ErrorCode.BAD_REQUEST, "subscribe to topic '" + topic + "': " + held.problem());
      return;
    }
    hooks.run(peer, verb, () -> {
      if (!handler.authorize(peer, action, topic)) {
        refuse(peer, ErrorCode.FORBIDDEN, "not allowed to " + verb + " topic '" + topic + "'");
        return;
      }
      switch (action) {
        case SUBSCRIBE -> {
          if (held == null) {
            peer.subscribe(topic);
          } else {
            peer.subscribe(topic, held.version());
          }
          states.awaitFirstRead(List.of(topic));
          handler.subscribed(peer, topic);
        }
        case UNSUBSCRIBE -> peer.unsubscribe(topic);
        case PUBLISH -> handler.message(peer, message);
      }
    });
  }

  /**
   * A delta client's "this patch did not follow on (or apply): catch me up from this version (or
   * send the whole state)", for a state topic it is subscribed to, internal ones included.
   */
  private void resync(RealPeer peer, JsonNode frame) {
    String topic = topicOf(frame);
    if (topic == null) {
      refuseTopic(peer, "resync");
      return;
    }
    if (!states.isStateTopic(topic)) {
      refuse(peer, ErrorCode.BAD_REQUEST, "'resync' is for state topics, and '" + topic + "' is not one");
      return;
    }
    if (!peer.isSubscribed(topic)) {
      refuse(peer, ErrorCode.BAD_REQUEST, "'resync' of topic '" + topic + "', which this peer is not subscribed to");
      return;
    }
    HeldVersions.Held held = HeldVersions.ofFrame(frame);
    if (held.problem() != null) {
      refuse(peer, ErrorCode.BAD_REQUEST, "resync of topic '" + topic + "': " + held.problem());
      return;
    }
    states.resync(peer, topic, held.version());
  }

  /** The frame's {@code topic} when it is a usable topic name, else null. */
  private static @Nullable String topicOf(JsonNode frame) {
    JsonNode topic = frame.get("topic");
    return topic != null && topic.isString() && TopicNames.isValid(topic.stringValue()) ? topic.stringValue() : null;
  }

  private static void refuseTopic(RealPeer peer, String verb) {
    refuse(peer, ErrorCode.BAD_REQUEST, "'" + verb + "' needs a 'topic': a string of 1 to " + TopicNames.MAX_BYTES
        + " UTF-8 bytes without control characters or lone surrogates");
  }

  void binary(RealPeer peer, byte[] bytes) {
    hooks.run(peer, "message", () -> handler.message(peer, Message.binary(bytes)));
  }

  /** The frame's {@code type} when it is an object with a string one, else null. */
  private static @Nullable String typeOf(JsonNode value) {
    JsonNode type = value.isObject() ? value.get("type") : null;
    return type != null && type.isString() ? type.stringValue() : null;
  }

  private static @Nullable TopicAction protocolAction(@Nullable String type) {
    if (type == null) {
      return null;
    }
    return switch (type) {
      case "subscribe" -> TopicAction.SUBSCRIBE;
      case "unsubscribe" -> TopicAction.UNSUBSCRIBE;
      case "publish" -> TopicAction.PUBLISH;
      default -> null;
    };
  }

  private void refuseJson(RealPeer peer, Json.Refusal refusal) {
    switch (refusal) {
      case TOO_DEEP -> refuse(peer, ErrorCode.TOO_DEEP, "message nested deeper than " + config.maxJsonDepth() + " levels");
      case TOO_LONG -> refuse(peer, ErrorCode.INVALID_JSON, "a number over " + Json.MAX_NUMBER_CHARS
          + " characters or a field name over " + Json.MAX_NAME_CHARS + " characters");
      case OUT_OF_RANGE -> refuse(peer, ErrorCode.INVALID_JSON, "a number beyond the range of a double");
    }
  }

  /** Answers the peer with an error frame and logs the refusal, as often as its refusal log lets through. */
  static void refuse(RealPeer peer, ErrorCode code, String reason) {
    peer.refusals.log(reason);
    peer.sendError(code, reason, List.of());
  }
}
