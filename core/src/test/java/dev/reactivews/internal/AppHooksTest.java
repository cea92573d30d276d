package dev.reactivews.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivews.Message;
import dev.reactivews.Peer;
import dev.reactivews.TopicAction;
import dev.reactivews.UpgradeRequest;
import dev.reactivews.WsHandler;
import org.junit.jupiter.api.Test;

class AppHooksTest {
  @Test
  void aHandlerHasTheHooksItsClassOverrides() {
    assertThat(AppHooks.of(new WsHandler() {})).isEqualTo(new AppHooks(false, false, false, false, false, false));
    WsHandler some = new WsHandler() {
      @Override
      public void upgrade(UpgradeRequest request) {}

      @Override
      public void message(Peer peer, Message message) {}

      @Override
      public boolean authorize(Peer peer, TopicAction action, String topic) {
        return true;
      }
    };
    assertThat(AppHooks.of(some)).isEqualTo(new AppHooks(true, false, true, false, true, false));
  }

  @Test
  void aBuiltHandlerHasTheHooksThatWereSet() {
    assertThat(AppHooks.of(WsHandler.builder().onPeerCountChanged((count, node) -> {}).build()))
        .isEqualTo(new AppHooks(false, false, false, false, false, false));
    WsHandler built = WsHandler.builder().onUpgrade(request -> {}).onOpen(peer -> {}).onClose((peer, event) -> {})
        .onSubscribed((peer, topic) -> {}).build();
    assertThat(AppHooks.of(built)).isEqualTo(new AppHooks(true, true, false, true, false, true));
  }

  @Test
  void aBuiltHandlerWithoutAHookBehavesAsTheDefault() throws Exception {
    WsHandler built = WsHandler.builder().build();
    assertThat(built.authorize(null, TopicAction.PUBLISH, "t")).isTrue();
  }
}
