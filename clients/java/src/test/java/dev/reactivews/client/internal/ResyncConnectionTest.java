package dev.reactivews.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivews.client.Heartbeat;
import dev.reactivews.client.ReconnectPolicy;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A resync belongs to the connection it was asked on, on virtual time with a socket that stops taking writes. */
@Timeout(10)
class ResyncConnectionTest {
  private static final ReconnectPolicy EXACT = ReconnectPolicy.builder().jitter(0).build();
  private static final String GAP = "{\"topic\":\"chat\",\"v\":3,\"patch\":[]}";
  private static final String RESYNC = "{\"type\":\"resync\",\"topic\":\"chat\",\"epoch\":\"9\",\"v\":1}";

  @Test
  void aResyncNotWrittenWhenTheConnectionBreaksIsNotSentOnTheNextWhichAsksAgain() {
    VirtualClient v = new VirtualClient(EXACT, Heartbeat.disabled(), 100, "chat");
    FakeSocket socket = v.open();
    assertThat(v.transport.handshakes.getFirst().url()).hasToString("ws://server.test/_ws?rws=1");
    socket.serverText("{\"topic\":\"chat\",\"v\":1,\"epoch\":\"9\",\"payload\":[]}");
    socket.holdWrites = true;
    assertThat(v.client.send("taken by the socket")).isTrue();

    socket.serverText(GAP);
    assertThat(v.client.bufferedMessages()).as("the resync, behind the write the socket holds").isEqualTo(1);
    socket.fail(new IOException("connection reset"));
    v.awaitReconnect();
    FakeSocket again = v.transport.accept();
    assertThat(again.texts()).as("the subscribe says what is held; the old resync is gone")
        .containsExactly("{\"type\":\"subscribe\",\"topic\":\"chat\",\"epoch\":\"9\",\"v\":1}");
    assertThat(v.client.bufferedMessages()).isZero();

    again.serverText(GAP);
    again.serverText(GAP);
    assertThat(again.texts()).as("asked once on this connection").endsWith(RESYNC).filteredOn(RESYNC::equals).hasSize(1);
    assertThat(socket.texts()).as("the first connection took the subscribe and the send, never the resync")
        .containsExactly("{\"type\":\"subscribe\",\"topic\":\"chat\"}", "taken by the socket");
  }
}
