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
 * What a peer's messages mean: {@code subscribe}, {@code unsubscribe} and {@code publish} frames
 * under the topic rules (default and internal topics, the topic cap, the app's authorization,
 * relayed topics), {@code resync} frames to the state topics, everything else to the app's
 * message hook. A frame that breaks the rules gets an error frame and goes no further. App code
 * runs on the peer's mailbox; what runs none is done on the I/O thread when the mailbox is idle,
 * in order with the rest.
 */
final class InboundProtocol {
  /** The longest text frame handled on the I/O thread, in chars: parsing more would hold it up. */
  static final int MAX_INLINE_CHARS = 8192;

  private final WsConfig config;
  private final WsHandler handler;
  private final Json json;
  private final HookRunner hooks;
  private final StateTopics states;
  private final AppHooks appHooks;
  private final Relay relay;

  /** Sends a relayed publish's payload (null when it had none) to every subscriber of the topic. */
  @FunctionalInterface
  interface Relay {
    void relay(String topic, @Nullable JsonNode payload);
  }

  InboundProtocol(WsConfig config, WsHandler handler, AppHooks appHooks, Json json, HookRunner hooks, StateTopics states,
      Relay relay) {
    this.config = config;
    this.handler = handler;
    this.json = json;
    this.hooks = hooks;
    this.states = states;
    this.appHooks = appHooks;
    this.relay = relay;
  }

  /**
   * On the peer's I/O thread, its mailbox idle: what needs no app code is done now, the rest is
   * queued on the mailbox, parsed already. Only when the app has no authorize hook, which nearly
   * every frame but an app message would run; a frame over {@link #MAX_INLINE_CHARS} is queued
   * unparsed, so that parsing it never holds up the other connections of the thread.
   */
  boolean tryOnIoThread(RealPeer peer, String text) {
    if (appHooks.authorize() || text.length() > MAX_INLINE_CHARS) {
      return false;
    }
    handle(peer, text, true);
    return true;
  }

  /** On the peer's mailbox. */
  void text(RealPeer peer, String text) {
    handle(peer, text, false);
  }

  private void handle(RealPeer peer, String text, boolean ioThread) {
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
    TopicAction action = protocolAction(type);
    if (action == null) {
      Message message = Message.text(text, value);
      run(peer, !ioThread || !appHooks.message(), () -> hooks.run(peer, "message", () -> handler.message(peer, message)));
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
    boolean relayed = action == TopicAction.PUBLISH && config.isRelayed(topic);
    run(peer, !ioThread || !reachesApp(action, relayed), () -> hooks.run(peer, verb, () -> {
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
          // So that the app's hook finds the topic's state sent; with no hook, it goes when ready.
          if (appHooks.subscribed()) {
            states.awaitFirstRead(List.of(topic));
            handler.subscribed(peer, topic);
          }
        }
        case UNSUBSCRIBE -> peer.unsubscribe(topic);
        case PUBLISH -> {
          if (relayed) {
            relay.relay(topic, value.get("payload"));
          } else {
            handler.message(peer, Message.text(text, value));
          }
        }
      }
    }));
  }

  /** Whether the action runs a hook of the app (the authorize hook aside: see {@link #tryOnIoThread}). */
  private boolean reachesApp(TopicAction action, boolean relayed) {
    return switch (action) {
      case SUBSCRIBE -> appHooks.subscribed();
      case UNSUBSCRIBE -> false;
      case PUBLISH -> !relayed && appHooks.message();
    };
  }

  /** Runs the work now (on the mailbox, or app-free on the I/O thread), or queues it on the peer's mailbox. */
  private static void run(RealPeer peer, boolean now, Runnable work) {
    if (now) {
      work.run();
    } else {
      peer.queue(work);
    }
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
