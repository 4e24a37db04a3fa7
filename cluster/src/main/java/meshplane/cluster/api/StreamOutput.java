package meshplane.cluster.api;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.DefaultHttpContent;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;

/**
 * A streamed answer's body as an {@link OutputStream}, with backpressure: each write is a chunk;
 * while the connection is not writable (more than its high water mark is waiting for the client)
 * the writer waits for that chunk to reach the socket, so a client that does not read stops the
 * writer (and what it pulls from) instead of filling the heap. A client that reads nothing for
 * {@code stallSeconds} is closed; one that went away ends the stream ({@link IOException}).
 */
final class StreamOutput extends OutputStream {
  private final Channel ch;
  private final int stallSeconds;

  StreamOutput(Channel ch, int stallSeconds) {
    this.ch = ch;
    this.stallSeconds = stallSeconds;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (!ch.isActive()) {
      throw new IOException("the client went away");
    }
    ChannelFuture sent = ch.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer(b, off, len)));
    if (ch.isWritable()) {
      return;
    }
    try {
      if (!sent.await(stallSeconds, TimeUnit.SECONDS)) {
        ch.close();
        throw new IOException("the client read nothing for " + stallSeconds + " s: stream closed");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("the stream was stopped");
    }
    if (!sent.isSuccess()) {
      throw new IOException("the client went away: " + sent.cause());
    }
  }
}
