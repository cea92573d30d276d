package dev.reactivews.netty.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Which first reads {@link FastHandshake} answers itself: only the plainest handshake. Every
 * other head is left to the full HTTP stack, whose answers the upgrade and HTTP suites check.
 */
class HandshakeHeadTest {
  private static final String ROUTE = "/_ws";
  private static final String UPGRADE_HEADERS = "Host: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n";

  private static HandshakeHead parse(String head) {
    ByteBuf bytes = Unpooled.copiedBuffer(head, StandardCharsets.ISO_8859_1);
    try {
      HandshakeHead parsed = HandshakeHead.parse(bytes, ROUTE);
      assertThat(bytes.readerIndex()).as("parse reads nothing").isZero();
      return parsed;
    } finally {
      bytes.release();
    }
  }

  @Test
  void aBrowsersHandshakeIsReadWithEveryHeaderAsSent() {
    HandshakeHead head = parse("GET /_ws?room=a%20b HTTP/1.1\r\n" + UPGRADE_HEADERS
        + "Origin: http://localhost:3000\r\nCookie: a=1\r\nCookie: b=2\r\n"
        + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
        + "Sec-WebSocket-Protocol: chat, superchat\r\nSec-WebSocket-Protocol:   other  \r\n\r\n");
    assertThat(head).isNotNull();
    assertThat(head.target()).isEqualTo("/_ws?room=a%20b");
    assertThat(head.key()).isEqualTo("dGhlIHNhbXBsZSBub25jZQ==");
    assertThat(head.extensions()).isEqualTo("permessage-deflate; client_max_window_bits");
    assertThat(head.subprotocols()).isEqualTo("chat, superchat, other");
    assertThat(head.headers()).contains(Map.entry("Origin", "http://localhost:3000"), Map.entry("Cookie", "a=1"),
        Map.entry("Cookie", "b=2"), Map.entry("Connection", "Upgrade")).hasSize(11);
  }

  @Test
  void upgradeAndConnectionAreTokensOfAnyCaseInAList() {
    assertThat(parse("GET /_ws HTTP/1.1\r\nupgrade: WebSocket\r\nconnection: keep-alive, UPGRADE\r\n"
        + "sec-websocket-key: dGhlIHNhbXBsZSBub25jZQ==\r\nsec-websocket-version: 13\r\n\r\n")).isNotNull();
  }

  @Test
  void anyOtherHeadIsLeftToTheFullHttpStack() {
    String[] others = {
        "POST /_ws HTTP/1.1\r\n" + UPGRADE_HEADERS + "\r\n",
        "GET /_ws HTTP/1.0\r\n" + UPGRADE_HEADERS + "\r\n",
        "GET /other HTTP/1.1\r\n" + UPGRADE_HEADERS + "\r\n",
        "GET /_wsx HTTP/1.1\r\n" + UPGRADE_HEADERS + "\r\n",
        "GET /_w%73 HTTP/1.1\r\n" + UPGRADE_HEADERS + "\r\n",
        "GET /_ws#top HTTP/1.1\r\n" + UPGRADE_HEADERS + "\r\n",
        "GET  /_ws HTTP/1.1\r\n" + UPGRADE_HEADERS + "\r\n",
        // Not whole yet, or more than the head: the full stack reads on.
        "GET /_ws HTTP/1.1\r\n" + UPGRADE_HEADERS,
        "GET /_ws HTTP/1.1\r\n" + UPGRADE_HEADERS + "\r\nGET /_ws HTTP/1.1\r\n" + UPGRADE_HEADERS + "\r\n",
        // Folded, bare LF, a space before the colon, a byte outside ASCII, no colon.
        "GET /_ws HTTP/1.1\r\n" + UPGRADE_HEADERS + "X-Long: a\r\n b\r\n\r\n",
        "GET /_ws HTTP/1.1\n" + UPGRADE_HEADERS + "\r\n",
        "GET /_ws HTTP/1.1\r\n" + UPGRADE_HEADERS + "X-Name : a\r\n\r\n",
        "GET /_ws HTTP/1.1\r\n" + UPGRADE_HEADERS + "X-Name: caf\u00e9\r\n\r\n",
        "GET /_ws HTTP/1.1\r\n" + UPGRADE_HEADERS + "X-Name\r\n\r\n",
        // A body, or the upgrade headers not right: the full stack answers 4xx.
        "GET /_ws HTTP/1.1\r\n" + UPGRADE_HEADERS + "Content-Length: 3\r\n\r\n",
        "GET /_ws HTTP/1.1\r\n" + UPGRADE_HEADERS + "Transfer-Encoding: chunked\r\n\r\n",
        "GET /_ws HTTP/1.1\r\n" + UPGRADE_HEADERS.replace("websocket", "h2c") + "\r\n",
        "GET /_ws HTTP/1.1\r\n" + UPGRADE_HEADERS.replace("Connection: Upgrade", "Connection: close") + "\r\n",
        "GET /_ws HTTP/1.1\r\n" + UPGRADE_HEADERS.replace("13", "8") + "\r\n",
        "GET /_ws HTTP/1.1\r\n" + UPGRADE_HEADERS + "Sec-WebSocket-Version: 13\r\n\r\n",
        "GET /_ws HTTP/1.1\r\n" + UPGRADE_HEADERS + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
        "GET /_ws HTTP/1.1\r\n" + UPGRADE_HEADERS.replace("dGhlIHNhbXBsZSBub25jZQ==", "c2hvcnQ=") + "\r\n",
        "GET /_ws HTTP/1.1\r\n" + UPGRADE_HEADERS + "X-Big: " + "x".repeat(HandshakeHead.MAX_HEAD_BYTES) + "\r\n\r\n",
        "",
        "\r\n\r\n"};
    for (String other : others) {
      assertThat(parse(other)).as(other).isNull();
    }
  }
}
