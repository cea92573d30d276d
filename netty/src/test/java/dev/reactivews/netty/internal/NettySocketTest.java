package dev.reactivews.netty.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivews.transport.OutboundFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How a connection's frames reach the socket, on channels without sockets. */
@Timeout(10)
class NettySocketTest {
  private static final String BIG = "{\"topic\":\"feed\",\"payload\":\"" + "reactive state ".repeat(200) + "\"}";

  private final WireFrames wireFrames = new WireFrames(6);
  private final List<EmbeddedChannel> channels = new ArrayList<>();

  /** A frame as a client reads it: {@code deflated} when RSV1 was set. */
  private record Message(int opcode, String text, boolean deflated) {
    static Message text(String text, boolean deflated) {
      return new Message(1, text, deflated);
    }
  }

  @AfterEach
  void closeChannels() {
    for (EmbeddedChannel channel : channels) {
      channel.finishAndReleaseAll();
    }
  }

  private WriteSettings settings(Duration maxWriteDelay) {
    return new WriteSettings(1024 * 1024, maxWriteDelay, wireFrames);
  }

  private static NettySocket connection(EmbeddedChannel channel, WriteSettings settings, boolean deflate) {
    ChannelHandlerContext frameEncoder = channel.pipeline().context(WebSocketFrameEncoder.class);
    return new NettySocket(frameEncoder, settings, deflate);
  }

  private EmbeddedChannel channel() {
    EmbeddedChannel channel = new EmbeddedChannel(new WebSocket13FrameEncoder(false));
    channels.add(channel);
    return channel;
  }

  @Test
  void framesQueuedBeforeTheLoopTurnsLeaveInOneWrite() {
    EmbeddedChannel channel = channel();
    NettySocket connection = connection(channel, settings(Duration.ZERO), false);
    for (int n = 0; n < 3; n++) {
      assertThat(connection.write(OutboundFrame.text("frame " + n, false))).isTrue();
    }
    assertThat((Object) channel.readOutbound()).as("nothing written before the loop turns").isNull();

    channel.runPendingTasks();
    ByteBuf written = channel.readOutbound();
    assertThat(messages(written)).extracting(Message::text).containsExactly("frame 0", "frame 1", "frame 2");
    written.release();
    assertThat((Object) channel.readOutbound()).isNull();
  }

  @Test
  void aFanOutDeflatesAFrameOnceForEveryPeerThatNegotiatedDeflate() {
    List<EmbeddedChannel> deflating = List.of(channel(), channel(), channel());
    EmbeddedChannel plain = channel();
    WriteSettings settings = settings(Duration.ZERO);
    OutboundFrame frame = OutboundFrame.text(BIG, true);
    deflating.forEach(channel -> connection(channel, settings, true).write(frame));
    connection(plain, settings, false).write(frame);

    assertThat(wireFrames.deflatedMessages()).isEqualTo(1);
    for (EmbeddedChannel channel : deflating) {
      channel.runPendingTasks();
      ByteBuf written = channel.readOutbound();
      assertThat(messages(written)).containsExactly(Message.text(BIG, true));
      written.release();
    }
    plain.runPendingTasks();
    ByteBuf written = plain.readOutbound();
    assertThat(messages(written)).containsExactly(Message.text(BIG, false));
    written.release();
  }

  @Test
  void aMessageDeflatingWouldNotShrinkGoesAsItIs() {
    EmbeddedChannel channel = channel();
    connection(channel, settings(Duration.ZERO), true).write(OutboundFrame.text("x", true));
    channel.runPendingTasks();
    ByteBuf written = channel.readOutbound();
    assertThat(messages(written)).containsExactly(Message.text("x", false));
    written.release();
  }

  @Test
  void onABusyLoopASmallWriteSoonAfterAnotherWaitsForTheDelay() {
    EmbeddedChannel channel = channel();
    channel.freezeTime();
    // Long enough that no pause of the test's thread lets the delay pass on its own.
    Duration delay = Duration.ofMinutes(1);
    WriteSettings settings = settings(delay);
    NettySocket connection = connection(channel, settings, false);
    markBusy(settings, channel);

    connection.write(OutboundFrame.text("first", false));
    channel.runPendingTasks();
    ByteBuf first = channel.readOutbound();
    assertThat(messages(first)).as("the first write after a quiet spell").extracting(Message::text)
        .containsExactly("first");
    first.release();

    connection.write(OutboundFrame.text("second", false));
    connection.write(OutboundFrame.text("third", false));
    channel.runPendingTasks();
    assertThat((Object) channel.readOutbound()).isNull();
    channel.advanceTimeBy(delay.toNanos(), TimeUnit.NANOSECONDS);
    channel.runPendingTasks();
    ByteBuf held = channel.readOutbound();
    assertThat(messages(held)).extracting(Message::text).containsExactly("second", "third");
    held.release();
  }

  @Test
  void withoutADelayEveryTurnWritesAtOnceEvenOnABusyLoop() {
    EmbeddedChannel channel = channel();
    WriteSettings settings = settings(Duration.ZERO);
    NettySocket connection = connection(channel, settings, false);
    markBusy(settings, channel);
    for (String text : List.of("first", "second")) {
      connection.write(OutboundFrame.text(text, false));
      channel.runPendingTasks();
      ByteBuf written = channel.readOutbound();
      assertThat(messages(written)).extracting(Message::text).containsExactly(text);
      written.release();
    }
  }

  @Test
  void aCloseSendsWhatItAcceptedBeforeThenTheCloseFrameAndRefusesTheRest() {
    EmbeddedChannel channel = channel();
    NettySocket connection = connection(channel, settings(Duration.ZERO), false);
    connection.write(OutboundFrame.text("accepted", false));
    connection.close(1001, "bye");
    assertThat(connection.write(OutboundFrame.text("late", false))).isFalse();
    channel.runPendingTasks();
    List<Message> written = messages(everythingWritten(channel));
    assertThat(written).extracting(Message::opcode).as("the frame, then the close").containsExactly(1, 8);
    assertThat(written.getFirst().text()).isEqualTo("accepted");
  }

  @Test
  void framesAndAPongWaitingTogetherGoInTheirOrderBeforeTheCloseFrame() {
    EmbeddedChannel channel = channel();
    NettySocket connection = connection(channel, settings(Duration.ZERO), false);
    connection.write(OutboundFrame.text("first", false));
    connection.pong("ping".getBytes(StandardCharsets.UTF_8));
    connection.write(OutboundFrame.text("second", false));
    connection.close(1001, "bye");
    channel.runPendingTasks();
    List<Message> written = messages(everythingWritten(channel));
    assertThat(written).extracting(Message::opcode).as("text, pong, text, close").containsExactly(1, 10, 1, 8);
    assertThat(written).extracting(Message::text).startsWith("first", "ping", "second");
  }

  @Test
  void aSlowPeerIsClosedWithoutWhatWaitsForIt() {
    EmbeddedChannel channel = channel();
    NettySocket connection = connection(channel, settings(Duration.ZERO), false);
    connection.write(OutboundFrame.text("waiting", false));
    connection.close(4008, "slow");
    channel.runPendingTasks();
    assertThat(messages(everythingWritten(channel))).extracting(Message::opcode).containsExactly(8);
  }

  private static ByteBuf everythingWritten(EmbeddedChannel channel) {
    ByteBuf written = Unpooled.buffer();
    for (ByteBuf part; (part = channel.readOutbound()) != null; part.release()) {
      written.writeBytes(part);
    }
    return written;
  }

  /** Makes the channel's loop count as busy: as many frames in a window as only a busy loop writes. */
  private static void markBusy(WriteSettings settings, EmbeddedChannel channel) {
    WriteLoad load = settings.load(channel.eventLoop());
    load.wrote(Integer.MAX_VALUE, System.nanoTime() + TimeUnit.SECONDS.toNanos(1));
    assertThat(load.busy()).isTrue();
  }

  /** The messages in what was written, each deflated one inflated on its own. */
  private static List<Message> messages(ByteBuf written) {
    List<Message> messages = new ArrayList<>();
    while (written.isReadable()) {
      int first = written.readUnsignedByte();
      long length = written.readUnsignedByte();
      assertThat(length & 0x80).as("servers never mask").isZero();
      if (length == 126) {
        length = written.readUnsignedShort();
      } else if (length == 127) {
        length = written.readLong();
      }
      byte[] payload = new byte[Math.toIntExact(length)];
      written.readBytes(payload);
      assertThat(first & 0x80).as("final fragment").isNotZero();
      boolean deflated = (first & 0x40) != 0;
      String text = new String(deflated ? inflate(payload) : payload, StandardCharsets.UTF_8);
      messages.add(new Message(first & 0x0F, text, deflated));
    }
    return messages;
  }

  /** A fresh inflater: each message was deflated without the context of the ones before. */
  private static byte[] inflate(byte[] payload) {
    Inflater inflater = new Inflater(true);
    try {
      // RFC 7692 7.2.2: the sender left out the flush's tail; it goes back before inflating.
      byte[] input = Arrays.copyOf(payload, payload.length + 4);
      input[input.length - 2] = -1;
      input[input.length - 1] = -1;
      inflater.setInput(input);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] chunk = new byte[8192];
      while (!inflater.needsInput()) {
        out.write(chunk, 0, inflater.inflate(chunk));
      }
      return out.toByteArray();
    } catch (DataFormatException e) {
      throw new AssertionError("not a deflate stream", e);
    } finally {
      inflater.end();
    }
  }
}
