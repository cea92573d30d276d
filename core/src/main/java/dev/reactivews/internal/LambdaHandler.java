package dev.reactivews.internal;

import dev.reactivews.CloseEvent;
import dev.reactivews.Message;
import dev.reactivews.Peer;
import dev.reactivews.TopicAction;
import dev.reactivews.UpgradeRequest;
import dev.reactivews.WsHandler;
import dev.reactivews.WsPublisher;
import org.jspecify.annotations.Nullable;

/**
 * What {@link WsHandler.Builder} builds: a hook per lambda, and for the hooks that may run off a
 * virtual thread when the app has none (see {@link AppHooks}), null for "none".
 */
public final class LambdaHandler implements WsHandler {
  private final @Nullable UpgradeHook upgrade;
  private final @Nullable OpenHook open;
  private final @Nullable MessageHook message;
  private final @Nullable CloseHook close;
  private final ErrorHook error;
  private final @Nullable AuthorizeHook authorize;
  private final @Nullable SubscribedHook subscribed;
  private final PeerCountHook peerCountChanged;

  public LambdaHandler(@Nullable UpgradeHook upgrade, @Nullable OpenHook open, @Nullable MessageHook message,
      @Nullable CloseHook close, ErrorHook error, @Nullable AuthorizeHook authorize,
      @Nullable SubscribedHook subscribed, PeerCountHook peerCountChanged) {
    this.upgrade = upgrade;
    this.open = open;
    this.message = message;
    this.close = close;
    this.error = error;
    this.authorize = authorize;
    this.subscribed = subscribed;
    this.peerCountChanged = peerCountChanged;
  }

  AppHooks appHooks() {
    return new AppHooks(upgrade != null, open != null, message != null, close != null, authorize != null,
        subscribed != null);
  }

  @Override
  public void upgrade(UpgradeRequest request) throws Exception {
    if (upgrade != null) {
      upgrade.handle(request);
    }
  }

  @Override
  public void open(Peer peer) throws Exception {
    if (open != null) {
      open.handle(peer);
    }
  }

  @Override
  public void message(Peer peer, Message msg) throws Exception {
    if (message != null) {
      message.handle(peer, msg);
    }
  }

  @Override
  public void close(Peer peer, CloseEvent event) throws Exception {
    if (close != null) {
      close.handle(peer, event);
    }
  }

  @Override
  public void error(Peer peer, Throwable err) {
    error.handle(peer, err);
  }

  @Override
  public boolean authorize(Peer peer, TopicAction action, String topic) throws Exception {
    return authorize == null || authorize.handle(peer, action, topic);
  }

  @Override
  public void subscribed(Peer peer, String topic) throws Exception {
    if (subscribed != null) {
      subscribed.handle(peer, topic);
    }
  }

  @Override
  public void peerCountChanged(int count, WsPublisher thisNode) throws Exception {
    peerCountChanged.handle(count, thisNode);
  }
}
