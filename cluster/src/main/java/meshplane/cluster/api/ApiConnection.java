package meshplane.cluster.api;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/** One client connection to the API: a TLS socket, or a daemon's local unix socket. */
interface ApiConnection extends Closeable {
  InputStream in() throws IOException;

  OutputStream out() throws IOException;

  /** How long a read may wait (0: for ever); a read that waits longer throws {@link SocketTimeoutException}. */
  void readTimeout(int millis) throws IOException;

  /** A connected socket (TLS after its handshake). */
  static ApiConnection of(Socket s) {
    return new ApiConnection() {
      @Override
      public InputStream in() throws IOException {
        return s.getInputStream();
      }

      @Override
      public OutputStream out() throws IOException {
        return s.getOutputStream();
      }

      @Override
      public void readTimeout(int millis) throws IOException {
        s.setSoTimeout(millis);
      }

      @Override
      public void close() throws IOException {
        s.close();
      }
    };
  }

  /** The unix socket at {@code path}; reads wait on a selector, so they can time out as a socket's. */
  static ApiConnection unix(Path path) throws IOException {
    SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      ch.connect(UnixDomainSocketAddress.of(path));
      ch.configureBlocking(false);
      return new UnixConnection(ch, Selector.open());
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /** A non-blocking channel read and written through a selector, with a read timeout. */
  final class UnixConnection implements ApiConnection {
    private final SocketChannel ch;
    private final Selector selector;
    private volatile int timeoutMillis;

    private UnixConnection(SocketChannel ch, Selector selector) throws IOException {
      this.ch = ch;
      this.selector = selector;
    }

    @Override
    public InputStream in() {
      return new InputStream() {
        @Override
        public int read() throws IOException {
          byte[] one = new byte[1];
          return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          if (len == 0) {
            return 0;
          }
          ByteBuffer buf = ByteBuffer.wrap(b, off, len);
          long deadline = timeoutMillis == 0 ? Long.MAX_VALUE : System.nanoTime() + timeoutMillis * 1_000_000L;
          while (true) {
            int n = ch.read(buf);
            if (n != 0) {
              return n;
            }
            long left = deadline == Long.MAX_VALUE ? 0 : (deadline - System.nanoTime()) / 1_000_000L;
            if (deadline != Long.MAX_VALUE && left <= 0) {
              throw new SocketTimeoutException("read timed out");
            }
            await(SelectionKey.OP_READ, deadline == Long.MAX_VALUE ? 0 : Math.max(1, left));
          }
        }
      };
    }

    @Override
    public OutputStream out() {
      return new OutputStream() {
        @Override
        public void write(int b) throws IOException {
          write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          ByteBuffer buf = ByteBuffer.wrap(b, off, len);
          while (buf.hasRemaining()) {
            if (ch.write(buf) == 0) {
              await(SelectionKey.OP_WRITE, 0);
            }
          }
        }
      };
    }

    private void await(int op, long millis) throws IOException {
      SelectionKey k = ch.register(selector, op);
      try {
        selector.select(millis);
      } finally {
        k.interestOps(0);
        selector.selectedKeys().clear();
      }
    }

    @Override
    public void readTimeout(int millis) {
      timeoutMillis = millis;
    }

    @Override
    public void close() throws IOException {
      try {
        selector.close();
      } finally {
        ch.close();
      }
    }
  }
}
