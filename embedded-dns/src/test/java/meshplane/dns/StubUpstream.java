package meshplane.dns;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A tiny upstream resolver on loopback for forwarding tests: UDP and TCP on one port (TCP
 * connections kept open and served query after query, as RFC 7766 asks). It answers
 * every A question with {@code answer} (or {@code count} addresses from 192.0.2.1 for names
 * starting "many"; over UDP, never for names starting "silent"), or fails in the way its mode says.
 */
final class StubUpstream implements AutoCloseable {
  enum Mode { ANSWER, SILENT, SERVFAIL }

  final AtomicInteger udpQueries = new AtomicInteger();
  final AtomicInteger tcpQueries = new AtomicInteger();
  final AtomicInteger tcpConnections = new AtomicInteger();
  private final DatagramSocket udp;
  private final ServerSocket tcp;
  private final String answer;
  private volatile Mode mode;

  StubUpstream(Mode mode, String answer) throws IOException {
    this.mode = mode;
    this.answer = answer;
    InetAddress lo = InetAddress.getLoopbackAddress();
    // one port for both: UDP picks it, TCP takes the same (another is tried while some TCP socket holds it)
    DatagramSocket u0 = null;
    ServerSocket t0 = null;
    for (int attempt = 1; t0 == null; attempt++) {
      u0 = new DatagramSocket(new InetSocketAddress(lo, 0));
      try {
        t0 = new ServerSocket();
        t0.setReuseAddress(true);
        t0.bind(new InetSocketAddress(lo, u0.getLocalPort()), 50);
      } catch (java.net.BindException e) {
        u0.close();
        t0.close();
        t0 = null;
        if (attempt == 8) {
          throw e;
        }
      }
    }
    this.udp = u0;
    this.tcp = t0;
    Thread u = new Thread(this::serveUdp, "stub-udp");
    u.setDaemon(true);
    u.start();
    Thread t = new Thread(this::serveTcp, "stub-tcp");
    t.setDaemon(true);
    t.start();
  }

  InetSocketAddress address() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), udp.getLocalPort());
  }

  void mode(Mode m) {
    this.mode = m;
  }

  private byte[] respond(byte[] q, int max) throws IOException {
    Message query = new Message(q);
    Message r = new Message(query.getHeader().getID());
    r.getHeader().setFlag(Flags.QR);
    r.getHeader().setFlag(Flags.RA);
    r.addRecord(query.getQuestion(), Section.QUESTION);
    if (mode == Mode.SERVFAIL) {
      r.getHeader().setRcode(Rcode.SERVFAIL);
      return r.toWire();
    }
    if (query.getQuestion().getType() == Type.A) {
      boolean many = query.getQuestion().getName().toString().startsWith("many");
      for (int i = 1; i <= (many ? 100 : 1); i++) {
        InetAddress a = many ? InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, (byte) i}) : InetAddress.getByName(answer);
        r.addRecord(new ARecord(query.getQuestion().getName(), DClass.IN, 60, a), Section.ANSWER);
      }
    }
    return r.toWire(max);
  }

  private void serveUdp() {
    byte[] buf = new byte[65536];
    while (!udp.isClosed()) {
      try {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        udp.receive(p);
        udpQueries.incrementAndGet();
        if (mode == Mode.SILENT) {
          continue;
        }
        byte[] q = java.util.Arrays.copyOf(p.getData(), p.getLength());
        Message m = new Message(q);
        if (m.getQuestion().getName().toString().startsWith("silent")) {
          continue;
        }
        int max = m.getOPT() == null ? 512 : m.getOPT().getPayloadSize();
        byte[] out = respond(q, max);
        udp.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
      } catch (IOException e) {
        // closed, or a packet it could not parse: next
      }
    }
  }

  /** Accepts connections; each is served on a thread of its own, query after query, until the client closes it. */
  private void serveTcp() {
    while (!tcp.isClosed()) {
      try {
        Socket s = tcp.accept();
        tcpConnections.incrementAndGet();
        Thread t = new Thread(() -> serveConnection(s), "stub-tcp-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        // closed: done
      }
    }
  }

  private void serveConnection(Socket s) {
    try (s) {
      DataInputStream in = new DataInputStream(s.getInputStream());
      DataOutputStream o = new DataOutputStream(s.getOutputStream());
      while (true) {
        byte[] q = new byte[in.readUnsignedShort()];
        in.readFully(q);
        tcpQueries.incrementAndGet();
        if (mode == Mode.SILENT) {
          continue;
        }
        byte[] out = respond(q, 65535);
        o.writeShort(out.length);
        o.write(out);
        o.flush();
      }
    } catch (IOException e) {
      // the client closed it, or it broke: done
    }
  }

  @Override
  public void close() throws IOException {
    udp.close();
    tcp.close();
  }
}
