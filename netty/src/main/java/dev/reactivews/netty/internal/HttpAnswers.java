package dev.reactivews.netty.internal;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** What every HTTP answer of the server carries, and the plain-text answer that ends a connection. */
final class HttpAnswers {
  /** So that a browser takes each answer for its declared type and never guesses another (text run as a script, say). */
  static final AsciiString X_CONTENT_TYPE_OPTIONS = AsciiString.cached("x-content-type-options");
  static final String NOSNIFF = "nosniff";

  private HttpAnswers() {}

  /** A time limit as a log line or an answer says it: {@code 300 ms}, {@code 10 s}. */
  static String describe(Duration limit) {
    long millis = limit.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
  }

  /** Answers with the status, the text as body and the extra headers, then closes the connection. */
  static void answerAndClose(ChannelHandlerContext ctx, HttpResponseStatus status, String text,
      Map<String, String> headers) {
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
        Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    headers.forEach(response.headers()::set);
    response.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
        .set(X_CONTENT_TYPE_OPTIONS, NOSNIFF)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes())
        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }
}
