package dev.reactivews;

import dev.reactivews.internal.LambdaHandler;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * What an app does on each WebSocket event: nuxt-ws's {@code defineWSHandler({ open, message,
 * close })}. Every hook is a no-op by default; override the ones you need, or build a handler
 * from lambdas:
 *
 * <pre>{@code
 * WsHandler handler = WsHandler.builder()
 *     .onOpen(peer -> peer.sendState("session", Map.of("users", peer.peers().size())))
 *     .onMessage((peer, message) -> peer.publish("chat", message.text()))
 *     .build();
 * }</pre>
 *
 * <p>The framework wraps every handler: peers are subscribed to the default and internal topics
 * before {@link #open}; {@code subscribe}/{@code unsubscribe} frames are handled after {@link
 * #authorize} and never reach {@link #message}; {@code ping} is answered {@code pong}. Hooks of
 * one peer run one at a time, in order, off the I/O threads (on virtual threads), so they may
 * block. An exception from a hook is logged, passed to {@link #error}, and answered to the peer
 * with an error frame; the connection stays open.
 */
public interface WsHandler {
  /**
   * Runs before the socket opens, on the HTTP upgrade request. Throw {@link
   * UpgradeRejectedException} to refuse with an HTTP status; set {@link
   * UpgradeRequest#context(String, Object)} to attach what {@link Peer#context()} will hold.
   */
  default void upgrade(UpgradeRequest request) throws Exception {}

  /** Runs once the peer is connected and subscribed to the default and internal topics. */
  default void open(Peer peer) throws Exception {}

  /**
   * Runs for every message that is not handled by the framework: {@code publish} frames (after
   * {@link #authorize}), any other JSON, plain text and binary frames.
   */
  default void message(Peer peer, Message message) throws Exception {}

  /** Runs after the peer has left every topic and {@link Peer#peers()}. */
  default void close(Peer peer, CloseEvent event) throws Exception {}

  /** Runs when another hook threw; the peer has been sent an error frame. */
  default void error(Peer peer, Throwable error) {}

  /**
   * Decides whether the peer may subscribe to, unsubscribe from or publish to a topic. Asked
   * only for what the protocol allows at all: internal topics and unsubscribing from a default
   * topic are refused before this runs. Allows everything by default.
   */
  default boolean authorize(Peer peer, TopicAction action, String topic) throws Exception {
    return true;
  }

  /** Runs after the peer subscribed to a topic on its own request: the place to send its state. */
  default void subscribed(Peer peer, String topic) throws Exception {}

  /**
   * Runs on every node after {@link Peer#peerCount()} may have changed: a peer opened or closed
   * on any node, or the peers of a dead node expired. {@code count} is the cluster-wide count;
   * {@code thisNode} publishes to this node's subscribers only, since every node runs this hook
   * for the same change. The place to publish nuxt-ws's user count, in order: runs one at a
   * time, after the new peer is subscribed to the default topics, and at most once per 100 ms:
   * the first change after a quiet 100 ms runs it at once, the changes within 100 ms of a run
   * come as one run at the end of those 100 ms, with the newest count. So a crowd joining costs
   * every peer at most ten counts a second, and the last run always has the final count.
   * Exceptions are logged.
   */
  default void peerCountChanged(int count, WsPublisher thisNode) throws Exception {}

  /** A builder for a handler made of lambdas. */
  static Builder builder() {
    return new Builder();
  }

  /** The nuxt-ws module's {@code defineWSHandler}: a handler configured by lambdas. */
  static WsHandler defineWSHandler(Consumer<Builder> hooks) {
    Builder builder = builder();
    hooks.accept(builder);
    return builder.build();
  }

  /** The name nuxt-ws's chat example uses for {@link #defineWSHandler}. */
  static WsHandler defineReactiveWSHandler(Consumer<Builder> hooks) {
    return defineWSHandler(hooks);
  }

  /** Hook for {@link WsHandler#upgrade}. */
  @FunctionalInterface
  interface UpgradeHook {
    void handle(UpgradeRequest request) throws Exception;
  }

  /** Hook for {@link WsHandler#open}. */
  @FunctionalInterface
  interface OpenHook {
    void handle(Peer peer) throws Exception;
  }

  /** Hook for {@link WsHandler#message}. */
  @FunctionalInterface
  interface MessageHook {
    void handle(Peer peer, Message message) throws Exception;
  }

  /** Hook for {@link WsHandler#close}. */
  @FunctionalInterface
  interface CloseHook {
    void handle(Peer peer, CloseEvent event) throws Exception;
  }

  /** Hook for {@link WsHandler#error}. */
  @FunctionalInterface
  interface ErrorHook {
    void handle(Peer peer, Throwable error);
  }

  /** Hook for {@link WsHandler#authorize}. */
  @FunctionalInterface
  interface AuthorizeHook {
    boolean handle(Peer peer, TopicAction action, String topic) throws Exception;
  }

  /** Hook for {@link WsHandler#subscribed}. */
  @FunctionalInterface
  interface SubscribedHook {
    void handle(Peer peer, String topic) throws Exception;
  }

  /** Hook for {@link WsHandler#peerCountChanged}. */
  @FunctionalInterface
  interface PeerCountHook {
    void handle(int count, WsPublisher thisNode) throws Exception;
  }

  /** Collects one lambda per hook; setting a hook twice replaces the first. */
  final class Builder {
    private @Nullable UpgradeHook upgrade;
    private @Nullable OpenHook open;
    private @Nullable MessageHook message;
    private @Nullable CloseHook close;
    private ErrorHook error = (peer, err) -> {};
    private @Nullable AuthorizeHook authorize;
    private @Nullable SubscribedHook subscribed;
    private PeerCountHook peerCountChanged = (count, thisNode) -> {};

    private Builder() {}

    /** Sets the {@link WsHandler#upgrade} hook. */
    public Builder onUpgrade(UpgradeHook hook) {
      this.upgrade = Objects.requireNonNull(hook, "hook == null");
      return this;
    }

    /** Sets the {@link WsHandler#open} hook. */
    public Builder onOpen(OpenHook hook) {
      this.open = Objects.requireNonNull(hook, "hook == null");
      return this;
    }

    /** Sets the {@link WsHandler#message} hook. */
    public Builder onMessage(MessageHook hook) {
      this.message = Objects.requireNonNull(hook, "hook == null");
      return this;
    }

    /** Sets the {@link WsHandler#close} hook. */
    public Builder onClose(CloseHook hook) {
      this.close = Objects.requireNonNull(hook, "hook == null");
      return this;
    }

    /** Sets the {@link WsHandler#error} hook. */
    public Builder onError(ErrorHook hook) {
      this.error = Objects.requireNonNull(hook, "hook == null");
      return this;
    }

    /** Sets the {@link WsHandler#authorize} hook. */
    public Builder onAuthorize(AuthorizeHook hook) {
      this.authorize = Objects.requireNonNull(hook, "hook == null");
      return this;
    }

    /** Sets the {@link WsHandler#subscribed} hook. */
    public Builder onSubscribed(SubscribedHook hook) {
      this.subscribed = Objects.requireNonNull(hook, "hook == null");
      return this;
    }

    /** Sets the {@link WsHandler#peerCountChanged} hook. */
    public Builder onPeerCountChanged(PeerCountHook hook) {
      this.peerCountChanged = Objects.requireNonNull(hook, "hook == null");
      return this;
    }

    /**
     * The handler; a hook left unset is the no-op default, and what reaches only such hooks is
     * handled as for a handler that does not override them.
     */
    public WsHandler build() {
      return new LambdaHandler(upgrade, open, message, close, error, authorize, subscribed, peerCountChanged);
    }
  }
}
