package dev.reactivews.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A TCP proxy on an ephemeral loopback port in front of a target port, for what a real network
 * does to clients: {@link #silence()} makes the far end go quiet while every connection stays
 * open (a half-open server, which only a heartbeat can detect), {@link #resume()} lets the held
 * bytes through in order, {@link #silenceConnection(int)} does so to one connection only, {@link
 * #dropConnections()} cuts every connection at once.
 */
public final class TcpProxy implements AutoCloseable {
  private static final int CHUNK = 16 * 1024;

  private final int targetPort;
  private final ServerSocket listener;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition resumed = lock.newCondition();
  /** While true, no byte is forwarded in either direction; pumps hold what they read. */
  private boolean silent;
  /** The connections, by the order they were accepted in from 0, that forward nothing either. */
  private final Set<Integer> silentConnections = new HashSet<>();
  private int accepted;

  private TcpProxy(int targetPort, ServerSocket listener) {
    this.targetPort = targetPort;
    this.listener = listener;
    Thread.ofVirtual().name("tcp-proxy-accept-" + listener.getLocalPort()).start(this::acceptLoop);
  }

  /** A proxy to {@code 127.0.0.1:targetPort}, listening on an ephemeral port. */
  public static TcpProxy start(int targetPort) {
    try {
      ServerSocket listener = new ServerSocket();
      listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return new TcpProxy(targetPort, listener);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The port clients connect to instead of the target's. */
  public int port() {
    return listener.getLocalPort();
  }

  /** Stops forwarding in both directions; connections stay open and nothing is lost. */
  public void silence() {
    lock.lock();
    try {
      silent = true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops forwarding on one connection, the {@code index}-th accepted (from 0), as if only that
   * one had gone half-open; the others and later ones go on. {@link #resume()} lets it go on.
   */
  public void silenceConnection(int index) {
    lock.lock();
    try {
      silentConnections.add(index);
    } finally {
      lock.unlock();
    }
  }

  /** Forwards again, held bytes first. */
  public void resume() {
    lock.lock();
    try {
      silent = false;
      silentConnections.clear();
      resumed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Closes every proxied connection at once, as a network failure would; new ones are accepted. */
  public void dropConnections() {
    for (Socket socket : sockets) {
      closeQuietly(socket);
    }
  }

  /** How many proxied connections are open, counting both ends: two per client. */
  public int openSockets() {
    return sockets.size();
  }

  @Override
  public void close() {
    resume();
    closeQuietly(listener);
    dropConnections();
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        sockets.add(client);
        sockets.add(server);
        int index = accepted++;
        Thread.ofVirtual().start(() -> pump(client, server, index));
        Thread.ofVirtual().start(() -> pump(server, client, index));
      } catch (IOException e) {
        if (listener.isClosed()) {
          return;
        }
      }
    }
  }

  private void pump(Socket from, Socket to, int connection) {
    byte[] buffer = new byte[CHUNK];
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      int read;
      while ((read = in.read(buffer)) >= 0) {
        awaitNotSilent(connection);
        out.write(buffer, 0, read);
        out.flush();
      }
    } catch (IOException | InterruptedException e) {
      // The connection ended on either side: end the other side too.
    } finally {
      closeQuietly(from);
      closeQuietly(to);
      sockets.remove(from);
      sockets.remove(to);
    }
  }

  private void awaitNotSilent(int connection) throws InterruptedException {
    lock.lock();
    try {
      while (silent || silentConnections.contains(connection)) {
        resumed.await();
      }
    } finally {
      lock.unlock();
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      // Already closed or broken: nothing more to release.
    }
  }
}
