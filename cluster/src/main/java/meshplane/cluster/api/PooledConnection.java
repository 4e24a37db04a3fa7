package meshplane.cluster.api;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** A connection with the buffered streams its requests are written and answers read through, kept across requests. */
final class PooledConnection implements AutoCloseable {
  private final ApiConnection connection;
  final InputStream in;
  final OutputStream out;
  /** Whether it served a request before (a failure before any answer is then worth one retry on a new one). */
  boolean reused;

  PooledConnection(ApiConnection connection) throws IOException {
    this.connection = connection;
    this.in = new BufferedInputStream(connection.in(), 16 * 1024);
    this.out = new BufferedOutputStream(connection.out(), 8 * 1024);
  }

  void readTimeout(int millis) throws IOException {
    connection.readTimeout(millis);
  }

  @Override
  public void close() throws IOException {
    connection.close();
  }
}
