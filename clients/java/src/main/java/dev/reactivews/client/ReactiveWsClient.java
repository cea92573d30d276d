package dev.reactivews.client;

import static dev.reactivews.client.internal.Protocol.checkTopic;

import dev.reactivews.TopicAction;
import dev.reactivews.client.internal.ClientOptions;
import dev.reactivews.client.internal.Protocol;
import dev.reactivews.client.internal.RealReactiveWsClient;
import java.lang.reflect.Type;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

// Over 400 lines for a reason: the client's whole public surface, the interface and its Builder,
// reads in one file, and most of it is their documentation.
/**
 * A connection to a reactive-ws (or nuxt-ws) server that keeps the latest state of its topics:
 * the JVM's {@code useWS}, on the JDK's own {@link java.net.http.WebSocket}.
 *
 * <pre>{@code
 * record ChatLine(String user, String text) {}
 *
 * ReactiveWsClient client = ReactiveWsClient.builder("ws://localhost:3000/_ws")
 *     .topics("chat")
 *     .bind("chat", new TypeReference<List<ChatLine>>() {})
 *     .autoReconnect(ReconnectPolicy.defaults())
 *     .heartbeat(Heartbeat.defaults())
 *     .build();                                              // connects at once
 * client.onState("chat", (List<ChatLine> chat) -> render(chat));
 * client.publish("chat", Map.of("text", "hello"));
 * List<ChatLine> chat = client.states().get("chat");         // from any thread
 * client.close();
 * }</pre>
 *
 * <h2>Lifecycle</h2>
 * {@link Status#CLOSED} until {@link #open()} ({@link Builder#immediate(boolean) immediate} by
 * default), then {@link Status#CONNECTING} (the server's public config is loaded once, when
 * internal topics are not given, then the handshake), then {@link Status#OPEN}. A failed attempt
 * or a lost connection goes back to {@code CLOSED}; with a {@link ReconnectPolicy} the client
 * tries again after a delay ({@code CLOSED} while it waits, {@code CONNECTING} while it tries).
 * On every open, every topic of {@link #topics()} is subscribed again (except the server's
 * default and internal topics, which it subscribes by itself), and the server's answers refresh
 * the states; states are kept, not cleared, while disconnected. {@link #close()} ends it until the
 * next {@link #open()}. The contract both clients follow is the project's {@code docs/clients.md}.
 *
 * <h2>Sending and the buffer</h2>
 * Messages go out one at a time, in the order they were sent. While the connection is not open
 * they wait in a buffer and go out on the next open, right after the topics are subscribed. The
 * buffer also holds what an open connection has not written yet, and it is bounded: at most
 * {@link Builder#bufferLimit(int)} messages (1000 by default). A send that finds it full
 * returns {@code false} and drops that message (nothing already buffered is lost); a warning is
 * logged. A message the socket already took is not sent again after a reconnect: there are no
 * acknowledgements in the protocol, so a connection that breaks may lose the last few. {@link
 * #close()} keeps what is buffered for the next open. A message from the server larger than 16 MiB (characters
 * of text, bytes of binary) drops the connection, as a failure.
 *
 * <h2>Topics</h2>
 * {@code send(SUBSCRIBE, topic)} and {@code send(UNSUBSCRIBE, topic)} change the set of topics this
 * client wants and, when open, tell the server at once; while not open they only change the set. Subscribing to,
 * unsubscribing from, or publishing to one of the server's internal topics is refused here
 * ({@code false}, nothing sent); the client knows them from the server's {@code
 * /_reactive-ws/config.json} or from {@link Builder#internals(String...)}. Raw {@link #send(String)}s
 * of the same operations follow the same rules.
 *
 * <h2>Threads</h2>
 * Every method is thread-safe. Listeners run on one thread per client, never on the WebSocket's:
 * one at a time, in the order the events happened and, for one event, in the order they were
 * added. A listener may call any method, {@code send} and {@code close} included. State, status
 * and change listeners hear the current value as soon as they are added, then every change, so
 * nothing is missed by adding them after {@code build()}; data and error listeners hear only what
 * comes after. A listener that throws is logged and reported to the error listeners; the others
 * still run. A listener that blocks delays the ones after it; once 256 events are waiting, the
 * client stops reading from the socket until they drain (the server's slow-consumer limit may
 * then close the connection). {@link #close()} stops every thread the client started.
 */
public interface ReactiveWsClient extends AutoCloseable {
  /** A builder for a client of the WebSocket at {@code url} ({@code ws://}, {@code wss://}; {@code http(s)://} is taken as {@code ws(s)://}). */
  static Builder builder(URI url) {
    return new Builder(url);
  }

  /** A builder for a client of the WebSocket at {@code url}, such as {@code "ws://localhost:3000/_ws"}. */
  static Builder builder(String url) {
    return new Builder(URI.create(Objects.requireNonNull(url, "url == null")));
  }

  /** The connection's status now. */
  Status status();

  /** The latest state of every topic, immutable. */
  States states();

  /** The latest message that was not a topic state, or null before the first. */
  @Nullable Data data();

  /** Status, states and data at one moment. */
  Snapshot snapshot();

  /** The topics this client wants (subscribed on every open), a copy. */
  Set<String> topics();

  /** How many messages wait in the buffer: not sent yet, or not yet taken by the socket. */
  int bufferedMessages();

  /**
   * Sends a text message, or buffers it while not open; true if sent or buffered, false if
   * refused (full buffer, or an operation on an internal topic).
   */
  boolean send(String text);

  /** Sends a binary message, or buffers it while not open; false if refused (full buffer). */
  boolean send(byte[] bytes);

  /**
   * {@code send(SUBSCRIBE, topic)} joins a topic: adds it to {@link #topics()} and, when open,
   * subscribes to it now. {@code send(UNSUBSCRIBE, topic)} leaves it: removes it from {@link
   * #topics()} and, when open, unsubscribes now. False (and nothing changed) for an internal
   * topic or a full buffer. {@link TopicAction#PUBLISH} needs a payload: {@link
   * IllegalArgumentException}.
   */
  boolean send(TopicAction type, String topic);

  /**
   * {@code send(PUBLISH, topic, payload)}: same as {@link #publish}. For {@code SUBSCRIBE} and
   * {@code UNSUBSCRIBE}, which carry no payload, the payload must be null.
   */
  boolean send(TopicAction type, String topic, @Nullable Object payload);

  /**
   * Sends {@code {"type":"publish","topic":topic,"payload":payload}} (payload encoded by Jackson),
   * or buffers it; false if refused (internal topic, full buffer). {@link
   * IllegalArgumentException} if the payload cannot be encoded.
   */
  boolean publish(String topic, @Nullable Object payload);

  /**
   * Connects, when {@link Status#CLOSED}: after {@code immediate(false)}, after the reconnect
   * policy gave up, or to retry at once while waiting for a reconnect; the policy's count of
   * retries starts over; after {@link #close()}, with the threads started again. Does nothing while
   * connecting or open.
   */
  void open();

  /**
   * {@code close(1000, "")}: closes the connection, stops reconnecting and stops every thread the
   * client started; the topics, states and buffer stay for the next {@link #open()}.
   */
  @Override
  void close();

  /**
   * Closes the connection with {@code code} (1000, or 3000 to 4999) and {@code reason} (at most
   * 123 bytes of UTF-8), waiting up to 2 s for the server's answer; stops reconnecting; delivers
   * the last events ({@code CLOSED} among them) to the listeners; and stops every thread the
   * client started, waiting up to 5 s for a listener that is still running (except when called
   * from a listener: that thread ends as soon as the listener returns). The topics, the states and
   * the buffer are kept: sends are buffered, and {@link #open()} connects again, starting the
   * threads again. Does nothing when closed already; {@link IllegalArgumentException} for a code or
   * reason the protocol does not allow.
   */
  void close(int code, String reason);

  /** Calls the listener with the current status, then on every change. */
  Registration onStatus(Consumer<Status> listener);

  /**
   * Calls the listener with the topic's state (see {@link States#get(String)}), now if there is
   * one, then on every state the server sends for it, including one equal to the last. The value is
   * of the topic's bound type (null for a payload of JSON {@code null}), or a {@link
   * tools.jackson.databind.JsonNode} when it is not bound; declare it in the lambda: {@code
   * client.onState("chat", (List<ChatLine> chat) -> ...)}.
   */
  <T> Registration onState(String topic, Consumer<? super @Nullable T> listener);

  /** Calls the listener with the current snapshot, then after every change of status, states or data. */
  Registration onChange(Consumer<Snapshot> listener);

  /** Calls the listener with every message that is not a topic state (the server's error frames among them). */
  Registration onData(Consumer<Data> listener);

  /**
   * Calls the listener with what went wrong: an attempt that failed (the JDK's exception, such as
   * {@link java.net.ConnectException} or {@link java.net.http.WebSocketHandshakeException}), a
   * connection the server closed ({@link ConnectionClosedException}), a heartbeat that got no
   * answer ({@link java.net.http.HttpTimeoutException}), a state that does not fit its topic's
   * bound type ({@link IllegalArgumentException}; the state stays as it was), a listener that threw.
   */
  Registration onError(Consumer<Throwable> listener);

  /** Configures a {@link ReactiveWsClient}; {@link #build()} checks the values and connects. */
  final class Builder {
    private static final int DEFAULT_BUFFER_LIMIT = 1000;

    private final URI url;
    private final Set<String> topics = new LinkedHashSet<>();
    private final Map<String, Type> bindings = new LinkedHashMap<>();
    private final List<String> query = new ArrayList<>();
    private final Map<String, List<String>> headers = new LinkedHashMap<>();
    private List<String> protocols = List.of();
    private boolean immediate = true;
    private ReconnectPolicy reconnect = ReconnectPolicy.never();
    private Heartbeat heartbeat = Heartbeat.disabled();
    private boolean autoClose = true;
    private @Nullable Set<String> internals;
    private @Nullable Set<String> defaults;
    private @Nullable URI configUrl;
    private int bufferLimit = DEFAULT_BUFFER_LIMIT;
    private boolean deltas = true;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private @Nullable ObjectMapper mapper;

    private Builder(URI url) {
      this.url = webSocketUrl(Objects.requireNonNull(url, "url == null"));
    }

    private static URI webSocketUrl(URI url) {
      String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
      String webSocketScheme = switch (scheme) {
        case "ws", "http" -> "ws";
        case "wss", "https" -> "wss";
        default -> throw new IllegalArgumentException("not a WebSocket URL (ws:// or wss://): " + url);
      };
      if (url.getHost() == null) {
        throw new IllegalArgumentException("no host in " + url);
      }
      if (url.getFragment() != null) {
        throw new IllegalArgumentException("a WebSocket URL has no fragment: " + url);
      }
      return URI.create(webSocketScheme + url.toString().substring(scheme.length()));
    }

    /** Topics to subscribe to on every open, besides the server's defaults; adds to earlier calls. */
    public Builder topics(String... topics) {
      return topics(List.of(topics));
    }

    /** Topics to subscribe to on every open, besides the server's defaults; adds to earlier calls. */
    public Builder topics(Collection<String> topics) {
      for (String topic : topics) {
        this.topics.add(checkTopic(topic));
      }
      return this;
    }

    /** Decodes the topic's payloads as {@code type} when they arrive: {@code bind("session", Session.class)}. */
    public Builder bind(String topic, Class<?> type) {
      bindings.put(checkTopic(topic), Objects.requireNonNull(type, "type == null"));
      return this;
    }

    /** Decodes the topic's payloads as {@code type} when they arrive: {@code bind("chat", new TypeReference<List<ChatLine>>() {})}. */
    public Builder bind(String topic, TypeReference<?> type) {
      bindings.put(checkTopic(topic), Objects.requireNonNull(type, "type == null").getType());
      return this;
    }

    /** Adds {@code name=value} to the URL's query (encoded here); may repeat a name. */
    public Builder query(String name, String value) {
      Objects.requireNonNull(name, "name == null");
      Objects.requireNonNull(value, "value == null");
      query.add(Protocol.queryParameter(name, value));
      return this;
    }

    /**
     * Adds a header to the handshake (and to the config request), such as {@code Authorization};
     * may repeat a name. Headers the WebSocket handshake owns ({@code Sec-WebSocket-*}, {@code
     * Upgrade}, {@code Connection}, {@code Host}) are refused: {@link IllegalArgumentException}.
     */
    public Builder header(String name, String value) {
      Objects.requireNonNull(name, "name == null");
      Objects.requireNonNull(value, "value == null");
      if (name.regionMatches(true, 0, "Sec-WebSocket-", 0, "Sec-WebSocket-".length())) {
        throw new IllegalArgumentException("the handshake sets " + name + " itself: use protocols(...) for subprotocols");
      }
      // The JDK's own check: restricted names (Host, Upgrade, Connection...) and illegal characters.
      HttpRequest.newBuilder().header(name, value);
      headers.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
      return this;
    }

    /** WebSocket subprotocols to offer, preferred first; the server picks one. Each is an HTTP token, offered once. */
    public Builder protocols(String... protocols) {
      Set<String> offered = new LinkedHashSet<>();
      for (String protocol : protocols) {
        if (protocol == null || protocol.isEmpty() || !protocol.chars().allMatch(Builder::isTokenChar)) {
          throw new IllegalArgumentException("a subprotocol must be an HTTP token: \"" + protocol + "\"");
        }
        if (!offered.add(protocol)) {
          throw new IllegalArgumentException("subprotocol offered twice: " + protocol);
        }
      }
      this.protocols = List.copyOf(offered);
      return this;
    }

    private static boolean isTokenChar(int c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    /** Whether {@link #build()} connects at once (the default) or waits for {@link ReactiveWsClient#open()}. */
    public Builder immediate(boolean immediate) {
      this.immediate = immediate;
      return this;
    }

    /** When to connect again after a failure or a loss; {@link ReconnectPolicy#never()} by default. */
    public Builder autoReconnect(ReconnectPolicy policy) {
      this.reconnect = Objects.requireNonNull(policy, "policy == null");
      return this;
    }

    /** How to detect a server that stopped answering; {@link Heartbeat#disabled()} by default. */
    public Builder heartbeat(Heartbeat heartbeat) {
      this.heartbeat = Objects.requireNonNull(heartbeat, "heartbeat == null");
      return this;
    }

    /**
     * Whether the client closes itself when the JVM shuts down (a shutdown hook, removed by {@link
     * ReactiveWsClient#close()}), so the server hears a clean close; true by default.
     */
    public Builder autoClose(boolean autoClose) {
      this.autoClose = autoClose;
      return this;
    }

    /**
     * The server's internal topics (listen-only), so the client does not ask the server's config
     * for them; {@code internals()} for none.
     */
    public Builder internals(String... topics) {
      this.internals = checkTopics(topics);
      return this;
    }

    /**
     * The server's default topics (subscribed by the server itself), which the client does not
     * subscribe again on open; taken from the server's config unless given.
     */
    public Builder defaults(String... topics) {
      this.defaults = checkTopics(topics);
      return this;
    }

    /** Where the server's public config is; by default {@code /_reactive-ws/config.json} on the WebSocket's host. */
    public Builder configUrl(URI configUrl) {
      this.configUrl = Objects.requireNonNull(configUrl, "configUrl == null");
      return this;
    }

    /** How many messages may wait to be sent (see the class doc); 1000 by default. */
    public Builder bufferLimit(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("bufferLimit < 1: " + max);
      }
      this.bufferLimit = max;
      return this;
    }

    /**
     * Whether the client asks for changes as patches and resumes from the versions it holds (true,
     * the default): the handshake URL gets {@code rws=1} and {@code rws.since} for the default and
     * internal topics it holds a version of, a subscribe carries the version held, patch frames
     * are applied, and a patch that does not follow on or does not apply is answered with a
     * {@code resync} ({@code docs/protocol.md}). A server that sends no versions sends no patches
     * either, so nothing changes against it. False sends the URL and the frames as a nuxt-ws
     * client does, and takes a patch frame for data.
     */
    public Builder deltas(boolean deltas) {
      this.deltas = deltas;
      return this;
    }

    /** How long an attempt may take to connect and finish the handshake; 10 s by default. */
    public Builder connectTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout == null");
      if (timeout.isZero() || timeout.isNegative()) {
        throw new IllegalArgumentException("connectTimeout must be positive: " + timeout);
      }
      this.connectTimeout = timeout;
      return this;
    }

    /**
     * The Jackson mapper for payloads and bound types (with the app's modules). By default a plain
     * one that ignores properties a bound type does not declare, so a server may add fields.
     */
    public Builder objectMapper(ObjectMapper mapper) {
      this.mapper = Objects.requireNonNull(mapper, "mapper == null");
      return this;
    }

    /** The client, connecting at once unless {@code immediate(false)}. */
    public ReactiveWsClient build() {
      URI target = query.isEmpty() ? url : withQuery(url, String.join("&", query));
      URI config = configUrl != null ? configUrl : defaultConfigUrl(url);
      Map<String, List<String>> headerCopy = new LinkedHashMap<>();
      headers.forEach((name, values) -> headerCopy.put(name, List.copyOf(values)));
      return RealReactiveWsClient.create(new ClientOptions(
          target, config, List.copyOf(topics), Map.copyOf(bindings), headerCopy, protocols, immediate,
          reconnect, heartbeat, autoClose, internals, defaults, bufferLimit, deltas, connectTimeout,
          mapper != null ? mapper : JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build()));
    }

    private static URI withQuery(URI url, String extra) {
      String text = url.toString();
      return URI.create(text + (url.getRawQuery() == null ? "?" : "&") + extra);
    }

    private static URI defaultConfigUrl(URI url) {
      String scheme = url.getScheme().equals("wss") ? "https" : "http";
      String authority = url.getRawAuthority();
      return URI.create(scheme + "://" + authority + "/_reactive-ws/config.json");
    }

    private static Set<String> checkTopics(String... topics) {
      Set<String> checked = new LinkedHashSet<>();
      for (String topic : topics) {
        checked.add(checkTopic(topic));
      }
      return Set.copyOf(checked);
    }
  }
}
