package dev.reactivews.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivews.SendOptions;
import dev.reactivews.WsHandler;
import dev.reactivews.testing.HookLog;
import dev.reactivews.testing.RawWebSocket;
import dev.reactivews.testing.RawWebSocket.Frame;
import dev.reactivews.testing.TestServer;
import dev.reactivews.testing.WsRecorder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.Deflater;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** permessage-deflate: the seed's {@code { compress: true }}. */
@Timeout(60)
class CompressionTest {
  private static final Map<String, String> OFFER = Map.of("Sec-WebSocket-Extensions", "permessage-deflate");
  private static final String BIG = "reactive state ".repeat(500);

  private final HookLog log = new HookLog();
  private TestServer server;

  @BeforeEach
  void start() {
    WsHandler handler = log.handler()
        .onOpen(peer -> {
          peer.send(BIG, SendOptions.COMPRESS);
          peer.send("small and plain");
        })
        .build();
    server = TestServer.start(cfg -> cfg.ws(ws -> ws.defaults("feed")).handler(handler));
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  @Test
  void anOfferedDeflateIsNegotiatedAndCompressedMessagesArriveIntact() throws Exception {
    RawWebSocket client = server.raw(OFFER);
    assertThat(client.status()).isEqualTo(101);
    assertThat(client.header("Sec-WebSocket-Extensions")).startsWith("permessage-deflate");

    Frame big = client.readText();
    assertThat(big.compressed()).isTrue();
    assertThat(big.text()).isEqualTo(BIG);
    Frame small = client.readText();
    assertThat(small.compressed()).as("only messages sent with compress are deflated").isFalse();
    assertThat(small.text()).isEqualTo("small and plain");

    server.server().publisher().publish("feed", BIG, SendOptions.COMPRESS);
    server.server().publisher().publish("feed", "again", SendOptions.COMPRESS);
    Frame published = client.readText();
    assertThat(published.compressed()).isTrue();
    assertThat(published.text()).isEqualTo("{\"topic\":\"feed\",\"payload\":\"" + BIG + "\"}");
    assertThat(client.readText().text()).isEqualTo("{\"topic\":\"feed\",\"payload\":\"again\"}");
  }

  @Test
  void compressedMessagesFromTheClientReachTheAppInflated() throws Exception {
    RawWebSocket client = server.raw(OFFER);
    client.readText();
    client.readText();
    String text = HookLog.ECHO + "x".repeat(4000);
    client.sendFrame(0x40 | RawWebSocket.TEXT, true, deflate(text.getBytes(StandardCharsets.UTF_8)));
    assertThat(client.readText().text()).isEqualTo(text);
    assertThat(log.eventsStartingWith("message ")).containsExactly("message " + text);
  }

  /** One message's deflate payload, as RFC 7692 7.2.1 has a client send it. */
  static byte[] deflate(byte[] data) {
    Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    deflater.setInput(data);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] chunk = new byte[8192];
    int n;
    while ((n = deflater.deflate(chunk, 0, chunk.length, Deflater.SYNC_FLUSH)) > 0) {
      out.write(chunk, 0, n);
      if (n < chunk.length) {
        break;
      }
    }
    deflater.end();
    byte[] all = out.toByteArray();
    return Arrays.copyOf(all, all.length - 4);
  }

  @Test
  void aClientThatOffersNothingGetsCompressedSendsPlain() {
    WsRecorder client = server.connect();
    assertThat(client.next()).isEqualTo(BIG);
    assertThat(client.next()).isEqualTo("small and plain");
  }
}
