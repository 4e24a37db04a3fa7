package meshplane.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** Bytes of UTF-8 text to a PrintWriter, a whole line at a time (so no character is split), the rest on flush at close. */
final class WriterOutputStream extends OutputStream {
  private final PrintWriter out;
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

  WriterOutputStream(PrintWriter out) {
    this.out = out;
  }

  @Override
  public void write(int b) {
    pending.write(b);
    if (b == '\n') {
      emit();
    }
  }

  @Override
  public void write(byte[] b, int off, int len) {
    for (int i = off; i < off + len; i++) {
      write(b[i]);
    }
  }

  private void emit() {
    out.write(pending.toString(StandardCharsets.UTF_8));
    out.flush();
    pending.reset();
  }

  @Override
  public void close() {
    if (pending.size() > 0) {
      emit();
    }
    out.flush();
  }
}
