package meshplane.cluster.api;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;

/**
 * Netty's aggregator with the API's own 413: a JSON error naming the limit. A body announced
 * larger ({@code Content-Length}) is refused before any of it is read; a chunked one once it
 * passes the limit; either way at most the limit is held. As Netty's, the connection is closed
 * after the answer unless the client keeps it alive and the rest of the body can be skipped.
 */
final class BoundedAggregator extends HttpObjectAggregator {
  private final int maxBytes;

  BoundedAggregator(int maxBytes) {
    super(maxBytes);
    this.maxBytes = maxBytes;
  }

  @Override
  protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
    boolean close = oversized instanceof io.netty.handler.codec.http.FullHttpMessage
        || !HttpUtil.is100ContinueExpected(oversized) && !HttpUtil.isKeepAlive(oversized);
    long announced = HttpUtil.getContentLength(oversized, -1L);
    String message = "the request body" + (announced >= 0 ? " (" + announced + " bytes)" : "") + " is larger than the API's limit of "
        + maxBytes + " bytes";
    JsonAnswer.error(ctx, 413, message, "body", !close).addListener(f -> {
      if (close || !f.isSuccess()) {
        ctx.close();
      }
    });
  }
}
