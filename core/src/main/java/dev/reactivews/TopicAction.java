package dev.reactivews;

/** What a peer asks to do with a topic; the subject of {@link WsHandler#authorize}. */
public enum TopicAction {
  SUBSCRIBE,
  UNSUBSCRIBE,
  PUBLISH
}
