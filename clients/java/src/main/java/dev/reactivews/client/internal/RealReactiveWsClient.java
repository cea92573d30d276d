package dev.reactivews.client.internal;

import static dev.reactivews.client.internal.Protocol.checkTopic;

import dev.reactivews.TopicAction;
import dev.reactivews.client.Data;
import dev.reactivews.client.ReactiveWsClient;
import dev.reactivews.client.Registration;
import dev.reactivews.client.Snapshot;
import dev.reactivews.client.States;
import dev.reactivews.client.Status;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client: turns calls into messages for the {@link Lifecycle}, which owns the connection, and
 * listeners into the {@link Dispatcher}'s; owns the threads and stops them on close.
 */
public final class RealReactiveWsClient implements ReactiveWsClient {
  /** Every thread a client starts has a name that begins with this, then the client's number. */
  public static final String THREAD_PREFIX = "reactive-ws-client-";

  private static final Logger LOG = LoggerFactory.getLogger(RealReactiveWsClient.class);
  private static final AtomicInteger IDS = new AtomicInteger();
  private static final Duration THREAD_TIMEOUT = Duration.ofSeconds(5);

  private final ClientOptions options;
  private final Protocol protocol;
  /** {@link #THREAD_PREFIX} and the client's number: its threads' names and the first word of its log lines. */
  private final String name;
  /** The client's timer thread, or virtual time in tests; runs until close(). */
  private final TaskRunner runner;
  /** The HTTP client and its threads, or an in-memory server in tests; runs until close(). */
  private final Transport transport;
  /** The listeners and their thread; it delivers what was posted before close() stopped it. */
  private final Dispatcher dispatcher;
  /** Owns the connection; every call that sends or connects goes through it. */
  private final Lifecycle lifecycle;
  /** Null without autoClose; registered from construction and every reopen until close(). */
  private final Thread shutdownHook;
  /** Serializes open() and close(), which stop the threads and start them again. */
  private final ReentrantLock threadsLock = new ReentrantLock();
  /** Whether close() stopped the threads and no open() started them since; guarded by {@link #threadsLock}. */
  private boolean stopped;

  /** A client on the given clock and transport, its listeners run by a thread from {@code listenerThreads}. */
  RealReactiveWsClient(ClientOptions options, String name, TaskRunner runner, Transport transport,
      Supplier<ExecutorService> listenerThreads) {
    this.options = options;
    this.protocol = new Protocol(options.mapper());
    this.name = name;
    this.runner = runner;
    this.transport = transport;
    Snapshot initial = new Snapshot(Status.CLOSED, RealStates.empty(options.mapper()), null);
    this.dispatcher = new Dispatcher(listenerThreads, initial);
    this.lifecycle = new Lifecycle(options, protocol, name, runner, transport, dispatcher,
        new Receiver(options, protocol, dispatcher, name), initial);
    this.shutdownHook = options.autoClose() ? new Thread(this::close, name + "-shutdown") : null;
    if (shutdownHook != null) {
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    }
  }

  /** A client for the options, connecting when they say immediate. */
  public static ReactiveWsClient create(ClientOptions options) {
    String name = THREAD_PREFIX + IDS.incrementAndGet();
    Transport transport = new JdkTransport(options, new Protocol(options.mapper()), name);
    RealReactiveWsClient client = new RealReactiveWsClient(options, name, new RealTaskRunner(name + "-timer"),
        transport, () -> Dispatcher.newThread(name + "-events"));
    if (options.immediate()) {
      client.open();
    }
    return client;
  }

  // --- reading ---

  @Override
  public Status status() {
    return lifecycle.snapshot().status();
  }

  @Override
  public States states() {
    return lifecycle.snapshot().states();
  }

  @Override
  public Data data() {
    return lifecycle.snapshot().data();
  }

  @Override
  public Snapshot snapshot() {
    return lifecycle.snapshot();
  }

  @Override
  public Set<String> topics() {
    return lifecycle.topics();
  }

  @Override
  public int bufferedMessages() {
    return lifecycle.bufferedMessages();
  }

  // --- sending ---

  @Override
  public boolean send(String text) {
    Objects.requireNonNull(text, "text == null");
    Protocol.Operation operation = protocol.operationOf(text);
    return operation != null
        ? lifecycle.operate(operation.type(), operation.topic(), new Outbound(text, null, operation, false))
        : lifecycle.enqueue(Outbound.text(text));
  }

  @Override
  public boolean send(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes == null");
    return lifecycle.enqueue(Outbound.binary(bytes.clone()));
  }

  @Override
  public boolean send(TopicAction type, String topic) {
    if (type == TopicAction.PUBLISH) {
      throw new IllegalArgumentException("publish needs a payload: send(PUBLISH, topic, payload) or publish(topic, payload)");
    }
    return send(type, topic, null);
  }

  @Override
  public boolean send(TopicAction type, String topic, Object payload) {
    Objects.requireNonNull(type, "type == null");
    checkTopic(topic);
    if (type != TopicAction.PUBLISH && payload != null) {
      throw new IllegalArgumentException(Protocol.wire(type) + " carries no payload");
    }
    if (type == TopicAction.SUBSCRIBE) {
      return lifecycle.subscribe(topic);
    }
    return lifecycle.operate(type, topic, Outbound.operation(protocol.encode(type, topic, payload), type, topic));
  }

  @Override
  public boolean publish(String topic, Object payload) {
    return send(TopicAction.PUBLISH, topic, payload);
  }

  // --- connecting ---

  @Override
  public void open() {
    threadsLock.lock();
    try {
      if (stopped) {
        runner.restart();
        transport.restart();
        dispatcher.restart();
        if (shutdownHook != null) {
          Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
        stopped = false;
      }
      lifecycle.open();
    } finally {
      threadsLock.unlock();
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
    close(WebSocket.NORMAL_CLOSURE, "");
  }

  @Override
  public void close(int code, String reason) {
    Objects.requireNonNull(reason, "reason == null");
    if (code != WebSocket.NORMAL_CLOSURE && (code < 3000 || code > 4999)) {
      throw new IllegalArgumentException("a client closes with 1000 or a code from 3000 to 4999, not " + code);
    }
    if (reason.getBytes(StandardCharsets.UTF_8).length > 123) {
      throw new IllegalArgumentException("a close reason is at most 123 bytes of UTF-8");
    }
    threadsLock.lock();
    try {
      if (!lifecycle.close(code, reason)) {
        return;
      }
      stopThreads();
      stopped = true;
      if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
        try {
          Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
          // The JVM is exiting and runs the hook anyway; it finds the client closed.
        }
      }
    } finally {
      threadsLock.unlock();
    }
  }

  private void stopThreads() {
    boolean onListenerThread = dispatcher.isDispatchThread();
    runner.shutdownNow();
    transport.shutdownNow();
    dispatcher.shutdown();
    try {
      transport.awaitTermination(THREAD_TIMEOUT);
      runner.awaitTermination(THREAD_TIMEOUT);
      if (!onListenerThread && !dispatcher.awaitTermination(THREAD_TIMEOUT)) {
        LOG.warn("{}: a listener still runs after {}: interrupting it", name, THREAD_TIMEOUT);
        dispatcher.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return name + "{" + options.url() + ", " + lifecycle.snapshot().status() + "}";
  }
}
