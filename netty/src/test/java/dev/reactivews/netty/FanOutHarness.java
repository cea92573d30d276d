package dev.reactivews.netty;

import static org.awaitility.Awaitility.await;

import com.sun.management.OperatingSystemMXBean;
import dev.reactivews.SendOptions;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Not a test: a fan-out load run on loopback, for comparing write strategies on one machine.
 * Opens {@code subscribers} raw WebSocket clients read by one selector thread, publishes to all
 * of them as fast as the slowest lets it (at most {@value #WINDOW} messages ahead), and prints
 * deliveries a second, and per second of CPU the process used (steadier on a shared machine).
 *
 * <p>With a rate, it publishes that many messages a second on a schedule instead, as the bench's
 * open-loop publisher does, to see what a server spends at that load.
 *
 * <pre>{@code
 * java -cp ... dev.reactivews.netty.FanOutHarness [subscribers] [seconds] [writeDelayMicros] [deflate] [rate]
 * }</pre>
 */
public final class FanOutHarness {
  private static final int WINDOW = 64;
  /** How far ahead of the slowest a run at a rate may go: far enough not to pace it. */
  private static final int RATE_WINDOW = 20_000;
  private static final String TEXT = "reactive state fan-out ".repeat(4);

  private FanOutHarness() {}

  public static void main(String[] args) throws Exception {
    int subscribers = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    long delayMicros = args.length > 2 ? Long.parseLong(args[2]) : -1;
    boolean deflate = args.length > 3 && Boolean.parseBoolean(args[3]);
    long rate = args.length > 4 ? Long.parseLong(args[4]) : 0;
    ReactiveWs server = ReactiveWs.create(cfg -> {
      cfg.host("127.0.0.1").ws(ws -> ws.defaults("feed"));
      if (delayMicros >= 0) {
        configureDelay(cfg, Duration.ofNanos(delayMicros * 1000));
      }
    }).start(0);
    Clients clients = new Clients(server.port(), subscribers, deflate);
    await().atMost(Duration.ofMinutes(1)).until(() -> server.peers().size() >= subscribers);
    Thread reader = Thread.ofPlatform().name("clients").start(clients::run);
    long published = 0;
    long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
    long end = warmupEnd + TimeUnit.SECONDS.toNanos(seconds);
    long startDelivered = -1;
    long startPublished = 0;
    long startCpu = 0;
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    SendOptions options = deflate ? SendOptions.COMPRESS : SendOptions.DEFAULT;
    while (true) {
      long now = System.nanoTime();
      if (startDelivered < 0 && now >= warmupEnd) {
        startDelivered = clients.delivered();
        startPublished = published;
        startCpu = os.getProcessCpuTime();
      }
      if (now >= end) {
        break;
      }
      long due = rate > 0 ? (now - warmupEnd) / (1_000_000_000L / rate) : Long.MAX_VALUE;
      long ahead = published - clients.slowest();
      if (ahead >= (rate > 0 ? RATE_WINDOW : WINDOW) || published - startPublished >= due && startDelivered >= 0) {
        LockSupport.parkNanos(20_000);
        continue;
      }
      server.publisher().publish("feed", Map.of("n", published, "text", TEXT), options);
      published++;
    }
    long delivered = clients.delivered() - startDelivered;
    double cpuSeconds = (os.getProcessCpuTime() - startCpu) / 1e9;
    System.out.printf("subscribers=%d delay=%s deflate=%s: %,d deliveries/s, %,.0f per CPU-second, "
            + "%,d publishes/s, %d peers left%n",
        subscribers, delayMicros < 0 ? "default" : delayMicros + "us", deflate, delivered / seconds,
        delivered / cpuSeconds, (published - startPublished) / seconds, server.peers().size());
    clients.stop();
    reader.join();
    server.stop();
  }

  /** Sets the write delay where the server has the knob, so the same harness runs before and after. */
  private static void configureDelay(ServerConfig cfg, Duration delay) {
    try {
      ServerConfig.class.getMethod("maxWriteDelay", Duration.class).invoke(cfg, delay);
    } catch (ReflectiveOperationException e) {
      System.out.println("no maxWriteDelay on this server: ignored");
    }
  }

  /** Raw clients that only count the messages they get. */
  private static final class Clients {
    private final Selector selector;
    private final List<Client> all = new ArrayList<>();
    private volatile boolean running = true;

    Clients(int port, int count, boolean deflate) throws IOException {
      selector = Selector.open();
      String extensions = deflate ? "Sec-WebSocket-Extensions: permessage-deflate\r\n" : "";
      byte[] request = ("GET /_ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" + extensions + "\r\n")
          .getBytes(StandardCharsets.US_ASCII);
      for (int i = 0; i < count; i++) {
        SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
        channel.write(ByteBuffer.wrap(request));
        Client client = new Client(channel);
        client.readHandshake();
        channel.configureBlocking(false);
        channel.register(selector, SelectionKey.OP_READ, client);
        all.add(client);
      }
    }

    void run() {
      ByteBuffer buffer = ByteBuffer.allocateDirect(256 * 1024);
      try {
        while (running) {
          selector.select(100);
          for (SelectionKey key : selector.selectedKeys()) {
            Client client = (Client) key.attachment();
            buffer.clear();
            int read = client.channel.read(buffer);
            if (read < 0) {
              key.cancel();
              continue;
            }
            buffer.flip();
            client.consume(buffer);
          }
          selector.selectedKeys().clear();
        }
        for (Client client : all) {
          client.channel.close();
        }
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    }

    long delivered() {
      long sum = 0;
      for (Client client : all) {
        sum += client.messages;
      }
      return sum;
    }

    long slowest() {
      long min = Long.MAX_VALUE;
      for (Client client : all) {
        min = Math.min(min, client.messages);
      }
      return min;
    }

    void stop() {
      running = false;
    }
  }

  private static final class Client {
    final SocketChannel channel;
    volatile long messages;
    /** Header bytes of the frame being read, up to the 10 a server frame may have. */
    private final byte[] header = new byte[10];
    private int headerRead;
    private long payloadLeft;

    Client(SocketChannel channel) {
      this.channel = channel;
    }

    void readHandshake() throws IOException {
      ByteBuffer one = ByteBuffer.allocate(1);
      int matched = 0;
      while (matched < 4) {
        one.clear();
        if (channel.read(one) < 0) {
          throw new IOException("closed during the handshake");
        }
        byte b = one.get(0);
        matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
      }
    }

    void consume(ByteBuffer buffer) {
      while (buffer.hasRemaining()) {
        if (payloadLeft > 0) {
          int skip = (int) Math.min(payloadLeft, buffer.remaining());
          buffer.position(buffer.position() + skip);
          payloadLeft -= skip;
          if (payloadLeft == 0) {
            messages++;
          }
          continue;
        }
        header[headerRead++] = buffer.get();
        int needed = headerLength();
        if (headerRead == needed) {
          payloadLeft = payloadLength();
          headerRead = 0;
          if (payloadLeft == 0) {
            messages++;
          }
        }
      }
    }

    private int headerLength() {
      if (headerRead < 2) {
        return 2;
      }
      int len = header[1] & 0x7F;
      return len == 126 ? 4 : len == 127 ? 10 : 2;
    }

    private long payloadLength() {
      int len = header[1] & 0x7F;
      if (len == 126) {
        return ((header[2] & 0xFF) << 8) | (header[3] & 0xFF);
      }
      if (len == 127) {
        return ByteBuffer.wrap(header, 2, 8).getLong();
      }
      return len;
    }
  }
}
