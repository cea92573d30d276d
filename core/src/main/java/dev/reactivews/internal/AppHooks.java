package dev.reactivews.internal;

import dev.reactivews.CloseEvent;
import dev.reactivews.Message;
import dev.reactivews.Peer;
import dev.reactivews.TopicAction;
import dev.reactivews.UpgradeRequest;
import dev.reactivews.WsHandler;

/**
 * Which hooks of the app's handler are its own rather than {@link WsHandler}'s no-op defaults.
 * Work that reaches none of them is the framework's alone: it is done where it arrives, with no
 * hand-off to a virtual thread. A class that overrides a hook has it, whatever the override
 * does; a proxy overrides them all.
 */
record AppHooks(boolean upgrade, boolean open, boolean message, boolean close, boolean authorize, boolean subscribed) {
  static AppHooks of(WsHandler handler) {
    if (handler instanceof LambdaHandler lambdas) {
      return lambdas.appHooks();
    }
    Class<?> type = handler.getClass();
    return new AppHooks(
        overrides(type, "upgrade", UpgradeRequest.class),
        overrides(type, "open", Peer.class),
        overrides(type, "message", Peer.class, Message.class),
        overrides(type, "close", Peer.class, CloseEvent.class),
        overrides(type, "authorize", Peer.class, TopicAction.class, String.class),
        overrides(type, "subscribed", Peer.class, String.class));
  }

  private static boolean overrides(Class<?> type, String hook, Class<?>... parameters) {
    try {
      return type.getMethod(hook, parameters).getDeclaringClass() != WsHandler.class;
    } catch (NoSuchMethodException e) {
      throw new AssertionError("WsHandler has no hook " + hook, e);
    }
  }
}
