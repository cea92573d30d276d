package dev.reactivews.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivews.SendOptions;
import dev.reactivews.WsHandler;
import dev.reactivews.testing.HookLog;
import dev.reactivews.testing.RawWebSocket.Frame;
import dev.reactivews.testing.RawWebSocket;
import dev.reactivews.testing.TestServer;
import dev.reactivews.testing.WsRecorder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** permessage-deflate: nuxt-ws's {@code { compress: true }}. */
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
    server = TestServer.of(NettyTransport.start(cfg -> cfg.ws(ws -> ws.defaults("feed")).handler(handler)));
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  @Test
  void anOfferedDeflateIsNegotiatedAndCompressedMessagesArriveIntact() throws Exception {
    RawWebSocket client = server.raw(OFFER);
    assertThat(client.status()).isEqualTo(101);
    assertThat(client.header("Sec-WebSocket-Extensions")).startsWith("permessage-deflate")
        .as("each message deflated on its own, so a fan-out deflates it once")
        .contains("server_no_context_takeover");

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
  void aClientThatAsksForServerNoContextTakeoverGetsDeflate() throws Exception {
    RawWebSocket client =
        server.raw(Map.of("Sec-WebSocket-Extensions", "permessage-deflate; server_no_context_takeover"));
    assertThat(client.header("Sec-WebSocket-Extensions")).startsWith("permessage-deflate");
    assertThat(client.readText()).extracting(Frame::compressed, Frame::text).containsExactly(true, BIG);
  }

  @Test
  void aPublishReachesPeersWithAndWithoutDeflateAlike() throws Exception {
    RawWebSocket deflating = server.raw(OFFER);
    RawWebSocket plain = server.raw(Map.of());
    for (RawWebSocket client : new RawWebSocket[] {deflating, plain}) {
      client.readText();
      client.readText();
    }
    server.server().publisher().publish("feed", BIG, SendOptions.COMPRESS);
    String expected = "{\"topic\":\"feed\",\"payload\":\"" + BIG + "\"}";
    assertThat(deflating.readText()).extracting(Frame::compressed, Frame::text).containsExactly(true, expected);
    assertThat(plain.readText()).extracting(Frame::compressed, Frame::text).containsExactly(false, expected);
  }

  @Test
  void compressedMessagesFromTheClientReachTheAppInflated() throws Exception {
    RawWebSocket client = server.raw(OFFER);
    client.readText();
    client.readText();
    String text = HookLog.ECHO + "x".repeat(4000);
    client.sendFrame(0x40 | RawWebSocket.TEXT, true, RawWebSocket.deflate(text.getBytes(StandardCharsets.UTF_8)));
    assertThat(client.readText().text()).isEqualTo(text);
    assertThat(log.eventsStartingWith("message ")).containsExactly("message " + text);
  }

  @Test
  void aClientThatOffersNothingGetsCompressedSendsPlain() {
    WsRecorder client = server.connect();
    assertThat(client.next()).isEqualTo(BIG);
    assertThat(client.next()).isEqualTo("small and plain");
  }
}
