package meshplane.cluster.api;

import java.io.IOException;
import java.io.OutputStream;

/** A handler's answer: a JSON value with a status, or a text stream written until it ends. */
public sealed interface ApiResponse {

  static ApiResponse ok(Object body) {
    return new Json(200, body);
  }

  record Json(int status, Object body) implements ApiResponse {}

  /** Text written as it comes (chunked); the writer returns when the stream is done. */
  record Stream(String contentType, StreamWriter writer) implements ApiResponse {}

  @FunctionalInterface
  interface StreamWriter {
    void write(OutputStream out) throws IOException, InterruptedException;
  }
}
