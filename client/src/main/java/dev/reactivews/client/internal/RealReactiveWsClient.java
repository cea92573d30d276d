package dev.reactivews.client.internal;

import static dev.reactivews.client.internal.Protocol.checkTopic;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reactivews.client.ConnectionClosedException;
import dev.reactivews.client.Data;
import dev.reactivews.client.Heartbeat;
import dev.reactivews.client.MessageType;
import dev.reactivews.client.ReactiveWsClient;
import dev.reactivews.client.Registration;
import dev.reactivews.client.Snapshot;
import dev.reactivews.client.States;
import dev.reactivews.client.Status;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client: one lock guards the connection, the topics and the buffer; JDK WebSocket callbacks
 * only update them and post events, which listeners hear on the {@link Dispatcher}'s thread.
 */
public final class RealReactiveWsClient implements ReactiveWsClient {
  /** Every thread a client starts has a name that begins with this, then the client's number. */
  public static final String THREAD_PREFIX = "reactive-ws-client-";

  private static final Logger LOG = LoggerFactory.getLogger(RealReactiveWsClient.class);
  private static final AtomicInteger IDS = new AtomicInteger();
  /** The largest message taken from the server, in chars (text) or bytes (binary); more drops the connection. */
  private static final int MAX_MESSAGE_SIZE = 16 * 1024 * 1024;
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration THREAD_TIMEOUT = Duration.ofSeconds(5);

  private final ClientOptions options;
  private final ObjectMapper mapper;
  private final Protocol protocol;
  private final Map<String, JavaType> bindings;
  private final String name;
  private final Dispatcher dispatcher;
  private final ScheduledThreadPoolExecutor timer;
  private final ExecutorService io;
  private final HttpClient http;
  /** Null without autoClose. */
  private final Thread shutdownHook;

  private final ReentrantLock lock = new ReentrantLock();
  /** Replaced under the lock, never changed: readers need no lock. */
  private volatile Snapshot snapshot;
  /** The topics this client wants, in the order they were added; guarded by the lock. */
  private final Set<String> topics = new LinkedHashSet<>();
  /** Messages not yet handed to the socket, oldest first; guarded by the lock. */
  private final Deque<Outbound> outbox = new ArrayDeque<>();
  /** The attempt under way or the open connection; null exactly when there is neither. Guarded by the lock. */
  private Connection connection;
  /** The reconnect waiting to start, or null; guarded by the lock. */
  private ScheduledFuture<?> reconnect;
  /** Attempts that failed since the last open; guarded by the lock. */
  private int retries;
  /** Null until the server's config was loaded or turned out to be missing; guarded by the lock. */
  private ServerTopics serverTopics;
  /** Set by close(), for good; guarded by the lock. */
  private boolean closed;
  /** Whether a full buffer was already logged since it last had room; guarded by the lock. */
  private boolean bufferFullLogged;

  private RealReactiveWsClient(ClientOptions options) {
    this.options = options;
    this.mapper = options.mapper();
    this.protocol = new Protocol(mapper);
    Map<String, JavaType> types = new HashMap<>();
    options.bindings().forEach((topic, type) -> types.put(topic, mapper.constructType(type)));
    this.bindings = Map.copyOf(types);
    this.name = THREAD_PREFIX + IDS.incrementAndGet();
    this.snapshot = new Snapshot(Status.CLOSED, RealStates.empty(mapper), null);
    this.topics.addAll(options.topics());
    this.dispatcher = new Dispatcher(name + "-events", snapshot);
    this.timer = new ScheduledThreadPoolExecutor(1, daemonThreads(name + "-timer", false));
    this.timer.setRemoveOnCancelPolicy(true);
    this.io = Executors.newCachedThreadPool(daemonThreads(name + "-io-", true));
    this.http = HttpClient.newBuilder()
        .executor(io)
        .connectTimeout(options.connectTimeout())
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
    this.shutdownHook = options.autoClose() ? new Thread(this::close, name + "-shutdown") : null;
    if (shutdownHook != null) {
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    }
  }

  /** A client for the options, connecting when they say immediate. */
  public static ReactiveWsClient create(ClientOptions options) {
    RealReactiveWsClient client = new RealReactiveWsClient(options);
    if (options.immediate()) {
      client.open();
    }
    return client;
  }

  private static ThreadFactory daemonThreads(String name, boolean numbered) {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, numbered ? name + count.incrementAndGet() : name);
      thread.setDaemon(true);
      return thread;
    };
  }

  // --- reading ---

  @Override
  public Status status() {
    return snapshot.status();
  }

  @Override
  public States states() {
    return snapshot.states();
  }

  @Override
  public Data data() {
    return snapshot.data();
  }

  @Override
  public Snapshot snapshot() {
    return snapshot;
  }

  @Override
  public Set<String> topics() {
    lock.lock();
    try {
      return Collections.unmodifiableSet(new LinkedHashSet<>(topics));
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int bufferedMessages() {
    lock.lock();
    try {
      return outbox.size();
    } finally {
      lock.unlock();
    }
  }

  // --- sending ---

  @Override
  public boolean send(String text) {
    Objects.requireNonNull(text, "text == null");
    Protocol.Operation operation = protocol.operationOf(text);
    return operation != null
        ? operate(operation.type(), operation.topic(), new Outbound(text, null, operation, false))
        : enqueue(Outbound.text(text));
  }

  @Override
  public boolean send(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes == null");
    return enqueue(Outbound.binary(bytes.clone()));
  }

  @Override
  public boolean send(MessageType type, String topic) {
    if (type == MessageType.PUBLISH) {
      throw new IllegalArgumentException("publish needs a payload: send(PUBLISH, topic, payload) or publish(topic, payload)");
    }
    return send(type, topic, null);
  }

  @Override
  public boolean send(MessageType type, String topic, Object payload) {
    Objects.requireNonNull(type, "type == null");
    checkTopic(topic);
    if (type != MessageType.PUBLISH && payload != null) {
      throw new IllegalArgumentException(type.wire() + " carries no payload");
    }
    return operate(type, topic, Outbound.operation(protocol.encode(type, topic, payload), type, topic));
  }

  @Override
  public boolean publish(String topic, Object payload) {
    return send(MessageType.PUBLISH, topic, payload);
  }

  @Override
  public boolean subscribe(String topic) {
    return send(MessageType.SUBSCRIBE, topic, null);
  }

  @Override
  public boolean unsubscribe(String topic) {
    return send(MessageType.UNSUBSCRIBE, topic, null);
  }

  /** Applies the topic rules to an operation, then sends or buffers it as they say. */
  private boolean operate(MessageType type, String topic, Outbound message) {
    lock.lock();
    try {
      if (closed) {
        return false;
      }
      if (internals().contains(topic)) {
        LOG.info("{}: refused to {} topic '{}': it is internal, clients may only listen to it", name, type.wire(), topic);
        return false;
      }
      if (type == MessageType.PUBLISH) {
        return enqueueLocked(message);
      }
      // Not open: the next open subscribes exactly the topics wanted then.
      if (isOpen() && !enqueueLocked(message)) {
        return false;
      }
      if (type == MessageType.SUBSCRIBE) {
        topics.add(topic);
      } else {
        topics.remove(topic);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  private boolean enqueue(Outbound message) {
    lock.lock();
    try {
      return !closed && enqueueLocked(message);
    } finally {
      lock.unlock();
    }
  }

  private boolean enqueueLocked(Outbound message) {
    if (outbox.size() >= options.maxBufferedMessages()) {
      if (!bufferFullLogged) {
        LOG.warn("{}: {} messages wait to be sent, the most allowed: refusing more until some are sent",
            name, outbox.size());
        bufferFullLogged = true;
      }
      return false;
    }
    bufferFullLogged = false;
    outbox.add(message);
    pump();
    return true;
  }

  private boolean isOpen() {
    return connection != null && connection.socket != null;
  }

  /** Hands the socket the next messages, one at a time (the JDK allows no more); under the lock. */
  private void pump() {
    Connection c = connection;
    while (c != null && c.socket != null && !c.writing && !outbox.isEmpty()) {
      Outbound next = outbox.poll();
      c.writing = true;
      CompletableFuture<WebSocket> sent;
      try {
        sent = next.text() != null
            ? c.socket.sendText(next.text(), true)
            : c.socket.sendBinary(ByteBuffer.wrap(next.bytes()), true);
      } catch (RuntimeException e) {
        sent = CompletableFuture.failedFuture(e);
      }
      if (sent.isDone() && !sent.isCompletedExceptionally()) {
        c.writing = false;
        continue;
      }
      sent.whenComplete((ws, error) -> written(c, error));
      return;
    }
  }

  private void written(Connection c, Throwable error) {
    lock.lock();
    try {
      if (connection != c) {
        return;
      }
      c.writing = false;
      if (error != null) {
        c.socket.abort();
        lost(c, unwrap(error));
        return;
      }
      pump();
    } finally {
      lock.unlock();
    }
  }

  // --- connecting ---

  @Override
  public void open() {
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("the client is closed: build a new one");
      }
      if (connection != null) {
        return;
      }
      if (reconnect != null) {
        reconnect.cancel(false);
        reconnect = null;
      }
      retries = 0;
      startAttempt();
    } finally {
      lock.unlock();
    }
  }

  /** Under the lock, not closed, no connection. */
  private void startAttempt() {
    Connection attempt = new Connection();
    connection = attempt;
    setStatus(Status.CONNECTING);
    timer.execute(() -> {
      if (needsConfig()) {
        loadConfig().whenCompleteAsync((ignored, error) -> handshake(attempt), timer);
      } else {
        handshake(attempt);
      }
    });
  }

  private boolean isCurrent(Connection c) {
    lock.lock();
    try {
      return connection == c;
    } finally {
      lock.unlock();
    }
  }

  private void handshake(Connection attempt) {
    if (!isCurrent(attempt)) {
      return;
    }
    CompletableFuture<WebSocket> connected;
    try {
      WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(options.connectTimeout());
      options.headers().forEach((header, values) -> values.forEach(value -> builder.header(header, value)));
      List<String> protocols = options.protocols();
      if (!protocols.isEmpty()) {
        builder.subprotocols(protocols.getFirst(), protocols.subList(1, protocols.size()).toArray(String[]::new));
      }
      connected = builder.buildAsync(options.url(), attempt);
    } catch (RuntimeException e) {
      connected = CompletableFuture.failedFuture(e);
    }
    // Success is handled in onOpen, which the JDK calls before this completes. A failure may
    // complete on a JDK thread (the common pool): the client's own thread takes it from there.
    connected.whenCompleteAsync((ws, error) -> {
      if (error != null) {
        lost(attempt, unwrap(error));
      }
    }, timer);
  }

  private boolean needsConfig() {
    lock.lock();
    try {
      return needsConfigLocked();
    } finally {
      lock.unlock();
    }
  }

  private boolean needsConfigLocked() {
    return options.internals() == null && serverTopics == null;
  }

  private CompletableFuture<Void> loadConfig() {
    return ServerTopics.load(http, options, protocol, name).thenAccept(loaded -> {
      if (loaded != null) {
        lock.lock();
        try {
          serverTopics = loaded;
        } finally {
          lock.unlock();
        }
      }
    });
  }

  /** Under the lock. */
  private Set<String> internals() {
    if (options.internals() != null) {
      return options.internals();
    }
    return serverTopics != null ? serverTopics.internals() : Set.of();
  }

  /** Under the lock. */
  private Set<String> defaults() {
    if (options.defaults() != null) {
      return options.defaults();
    }
    return serverTopics != null ? serverTopics.defaults() : Set.of();
  }

  private void opened(Connection c, WebSocket socket) {
    lock.lock();
    try {
      if (connection != c) {
        socket.abort();
        return;
      }
      c.socket = socket;
      c.lastReceived = System.nanoTime();
      retries = 0;
      if (needsConfigLocked()) {
        LOG.warn("{}: open without the server's config ({} could not be loaded): internal topics are not refused here",
            name, options.configUrl());
      }
      Set<String> internals = internals();
      dropWhatIsNotToBeSent(internals);
      List<Outbound> subscriptions = new ArrayList<>();
      for (String topic : topics) {
        if (!internals.contains(topic) && !defaults().contains(topic)) {
          subscriptions.add(Outbound.operation(protocol.encode(MessageType.SUBSCRIBE, topic, null), MessageType.SUBSCRIBE, topic));
        }
      }
      for (int i = subscriptions.size() - 1; i >= 0; i--) {
        outbox.addFirst(subscriptions.get(i));
      }
      // Announced after the writes are queued, so that what a listener sends on OPEN comes after them.
      setStatus(Status.OPEN);
      LOG.debug("{}: open to {}", name, options.url());
      startHeartbeat(c);
      pump();
      socket.request(1);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Before the first open the internal topics may not have been known: operations on them that
   * were wanted or buffered then are dropped now. Heartbeats of an earlier connection go too.
   */
  private void dropWhatIsNotToBeSent(Set<String> internals) {
    for (Iterator<String> it = topics.iterator(); it.hasNext(); ) {
      String topic = it.next();
      if (internals.contains(topic)) {
        LOG.warn("{}: not subscribing to topic '{}': it is internal, the server subscribes every client to it", name, topic);
        it.remove();
      }
    }
    for (Iterator<Outbound> it = outbox.iterator(); it.hasNext(); ) {
      Outbound message = it.next();
      if (message.heartbeat()) {
        it.remove();
      } else if (message.operation() != null && internals.contains(message.operation().topic())) {
        LOG.warn("{}: dropped a buffered {} of topic '{}': it is internal, clients may only listen to it",
            name, message.operation().type().wire(), message.operation().topic());
        it.remove();
      }
    }
  }

  /** The connection failed or ended without close(): report it, and reconnect if the policy says so. */
  private void lost(Connection c, Throwable cause) {
    lock.lock();
    try {
      if (connection != c) {
        return;
      }
      connection = null;
      if (c.heartbeat != null) {
        c.heartbeat.cancel(false);
      }
      setStatus(Status.CLOSED);
      boolean willRetry = options.reconnect().allows(retries);
      LOG.info("{}: {} {}: {}", name, c.socket == null ? "could not connect to" : "lost the connection to",
          options.url(), cause.toString());
      dispatcher.post(new Dispatcher.Failed(cause));
      if (willRetry) {
        Duration delay = options.reconnect().delay(retries++);
        LOG.debug("{}: reconnecting in {} (retry {})", name, delay, retries);
        reconnect = timer.schedule(this::retry, delay.toNanos(), TimeUnit.NANOSECONDS);
      } else if (options.reconnect().maxRetries() > 0) {
        LOG.warn("{}: gave up reconnecting to {} after {} retries; open() tries again", name, options.url(), retries);
      }
    } finally {
      lock.unlock();
    }
  }

  private void retry() {
    lock.lock();
    try {
      reconnect = null;
      if (!closed && connection == null) {
        startAttempt();
      }
    } finally {
      lock.unlock();
    }
  }

  // --- receiving ---

  private void receivedText(Connection c, String text) {
    if (text.equals(options.heartbeat().response())) {
      return;
    }
    JsonNode value = protocol.parse(text);
    Protocol.State state = Protocol.stateOf(value);
    if (state == null) {
      received(c, null, null, RealData.text(mapper, text, value));
      return;
    }
    Object typed = state.payload();
    JavaType type = bindings.get(state.topic());
    if (type != null) {
      try {
        typed = mapper.treeToValue(state.payload(), type);
      } catch (IOException | IllegalArgumentException e) {
        IllegalArgumentException error = new IllegalArgumentException(
            "the state of topic '" + state.topic() + "' does not fit " + type + "; kept the previous one", e);
        LOG.warn("{}: {}", name, error.getMessage(), e);
        dispatcher.post(new Dispatcher.Failed(error));
        return;
      }
    }
    received(c, state, typed, null);
  }

  /** Applies a state (with its typed value) or a data message to the snapshot and tells the listeners. */
  private void received(Connection c, Protocol.State state, Object typed, Data data) {
    lock.lock();
    try {
      if (connection != c) {
        return;
      }
      Snapshot current = snapshot;
      if (state != null) {
        RealStates states = ((RealStates) current.states()).with(state.topic(), state.payload(), typed);
        snapshot = new Snapshot(current.status(), states, current.data());
        dispatcher.post(new Dispatcher.StateChanged(state.topic(), snapshot));
      } else {
        snapshot = new Snapshot(current.status(), current.states(), data);
        dispatcher.post(new Dispatcher.DataReceived(data, snapshot));
      }
    } finally {
      lock.unlock();
    }
  }

  /** Under the lock. */
  private void setStatus(Status status) {
    Snapshot current = snapshot;
    if (current.status() != status) {
      snapshot = new Snapshot(status, current.states(), current.data());
      dispatcher.post(new Dispatcher.StatusChanged(snapshot));
    }
  }

  // --- heartbeat ---

  /** Under the lock, on open. */
  private void startHeartbeat(Connection c) {
    Heartbeat heartbeat = options.heartbeat();
    if (heartbeat.enabled()) {
      long interval = heartbeat.interval().toNanos();
      c.heartbeat = timer.scheduleAtFixedRate(() -> beat(c), interval, interval, TimeUnit.NANOSECONDS);
    }
  }

  private void beat(Connection c) {
    long sentAt = System.nanoTime();
    lock.lock();
    try {
      if (connection != c) {
        return;
      }
      outbox.add(Outbound.ping(options.heartbeat().message()));
      pump();
    } finally {
      lock.unlock();
    }
    timer.schedule(() -> checkAnswer(c, sentAt), options.heartbeat().pongTimeout().toNanos(), TimeUnit.NANOSECONDS);
  }

  private void checkAnswer(Connection c, long pingSentAt) {
    // Reading paused for slow listeners: the silence is ours, not the server's.
    if (c.lastReceived - pingSentAt >= 0 || c.paused) {
      return;
    }
    lock.lock();
    try {
      if (connection != c) {
        return;
      }
      c.socket.abort();
      lost(c, new HttpTimeoutException("the server did not answer the heartbeat within " + options.heartbeat().pongTimeout()));
    } finally {
      lock.unlock();
    }
  }

  // --- listeners ---

  @Override
  public Registration onStatus(Consumer<Status> listener) {
    return listen(Dispatcher.Kind.STATUS, null, Status.class, listener);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> Registration onState(String topic, Consumer<? super T> listener) {
    checkTopic(topic);
    Objects.requireNonNull(listener, "listener == null");
    // The caller picked T: a wrong pick fails in the listener, where it is reported.
    return listen(Dispatcher.Kind.STATE, topic, Object.class, value -> listener.accept((T) value));
  }

  @Override
  public Registration onChange(Consumer<Snapshot> listener) {
    return listen(Dispatcher.Kind.CHANGE, null, Snapshot.class, listener);
  }

  @Override
  public Registration onData(Consumer<Data> listener) {
    return listen(Dispatcher.Kind.DATA, null, Data.class, listener);
  }

  @Override
  public Registration onError(Consumer<Throwable> listener) {
    return listen(Dispatcher.Kind.ERROR, null, Throwable.class, listener);
  }

  private <T> Registration listen(Dispatcher.Kind kind, String topic, Class<T> type, Consumer<? super T> listener) {
    Objects.requireNonNull(listener, "listener == null");
    return dispatcher.add(kind, topic, value -> listener.accept(type.cast(value)));
  }

  // --- closing ---

  @Override
  public void close() {
    Connection c;
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      if (reconnect != null) {
        reconnect.cancel(false);
        reconnect = null;
      }
      c = connection;
      connection = null;
      if (c != null && c.heartbeat != null) {
        c.heartbeat.cancel(false);
      }
      outbox.clear();
      setStatus(Status.CLOSED);
    } finally {
      lock.unlock();
    }
    if (c != null && c.socket != null) {
      closeGracefully(c);
    }
    stopThreads();
    if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException shuttingDown) {
        // The JVM is exiting and runs the hook anyway; it finds the client closed.
      }
    }
  }

  /** Sends a close frame and waits a little for the server's, then drops the connection. */
  private void closeGracefully(Connection c) {
    try {
      c.socket.sendClose(WebSocket.NORMAL_CLOSURE, "").thenCompose(ws -> c.inputClosed)
          .get(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.debug("{}: no clean close: {}", name, e.toString());
    } finally {
      c.socket.abort();
    }
  }

  private void stopThreads() {
    boolean onListenerThread = dispatcher.isDispatchThread();
    timer.shutdownNow();
    http.shutdownNow();
    dispatcher.shutdown();
    try {
      if (!http.awaitTermination(THREAD_TIMEOUT)) {
        LOG.warn("{}: the HTTP client did not stop within {}", name, THREAD_TIMEOUT);
      }
      io.shutdown();
      io.awaitTermination(THREAD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      timer.awaitTermination(THREAD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (!onListenerThread && !dispatcher.awaitTermination(THREAD_TIMEOUT)) {
        LOG.warn("{}: a listener still runs after {}: interrupting it", name, THREAD_TIMEOUT);
        dispatcher.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Throwable unwrap(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  @Override
  public String toString() {
    return name + "{" + options.url() + ", " + snapshot.status() + "}";
  }

  /** One attempt, and the connection it becomes. The JDK calls one method at a time. */
  private final class Connection implements WebSocket.Listener {
    /** Null until the handshake is done; guarded by the lock. */
    WebSocket socket;
    /** Whether a message is being handed to the socket; guarded by the lock. */
    boolean writing;
    /** Null unless a heartbeat runs; guarded by the lock. */
    ScheduledFuture<?> heartbeat;
    /** When anything last came from the server, in {@link System#nanoTime()}. */
    volatile long lastReceived;
    /** Whether reading waits for the listeners to catch up. */
    volatile boolean paused;
    /** Completes when the server's close frame (or an error) ends the input. */
    final CompletableFuture<Void> inputClosed = new CompletableFuture<>();
    /** The parts of a text message so far; only the JDK's callbacks touch it, one at a time. */
    private final StringBuilder textParts = new StringBuilder();
    private final ByteArrayOutputStream binaryParts = new ByteArrayOutputStream();

    @Override
    public void onOpen(WebSocket webSocket) {
      opened(this, webSocket);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      lastReceived = System.nanoTime();
      if (textParts.length() + data.length() > MAX_MESSAGE_SIZE) {
        return tooBig(webSocket, "characters");
      }
      textParts.append(data);
      if (last) {
        String text = textParts.toString();
        textParts.setLength(0);
        receivedText(this, text);
      }
      readNext(webSocket);
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      lastReceived = System.nanoTime();
      if (binaryParts.size() + data.remaining() > MAX_MESSAGE_SIZE) {
        return tooBig(webSocket, "bytes");
      }
      byte[] part = new byte[data.remaining()];
      data.get(part);
      binaryParts.writeBytes(part);
      if (last) {
        byte[] bytes = binaryParts.toByteArray();
        binaryParts.reset();
        received(this, null, null, RealData.binary(mapper, bytes));
      }
      readNext(webSocket);
      return null;
    }

    /** The JDK answers pings itself; a ping or a pong still shows the server is there. */
    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
      return heardFrom(webSocket);
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
      return heardFrom(webSocket);
    }

    private CompletionStage<?> heardFrom(WebSocket webSocket) {
      lastReceived = System.nanoTime();
      readNext(webSocket);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      inputClosed.complete(null);
      lost(this, new ConnectionClosedException(statusCode, reason));
      // null: the JDK answers with a close frame of the same code.
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      inputClosed.complete(null);
      lost(this, error);
    }

    /** Asks for the next message, unless the listeners are too far behind: then once they caught up. */
    private void readNext(WebSocket webSocket) {
      if (!isCurrent(this)) {
        return;
      }
      paused = true;
      if (dispatcher.admit(() -> resume(webSocket))) {
        paused = false;
        webSocket.request(1);
      }
    }

    private void resume(WebSocket webSocket) {
      if (paused) {
        paused = false;
        webSocket.request(1);
      }
    }

    /** Drops the connection: the JDK may not send 1009 itself, and the rest of the message is not wanted. */
    private CompletionStage<?> tooBig(WebSocket webSocket, String unit) {
      IOException error = new IOException("the server sent a message over " + MAX_MESSAGE_SIZE + " " + unit);
      LOG.warn("{}: {}: dropping the connection", name, error.getMessage());
      webSocket.abort();
      lost(this, error);
      return null;
    }
  }
}
