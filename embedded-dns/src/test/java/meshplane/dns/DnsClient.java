package meshplane.dns;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/** Raw DNS over UDP and TCP to the server under test, so the tests see exactly what goes on the wire. */
final class DnsClient {
  private DnsClient() {}

  static Message query(String name, int type, Integer ednsPayload) throws IOException {
    Message q = Message.newQuery(Record.newRecord(Name.fromString(name, Name.root), type, org.xbill.DNS.DClass.IN));
    if (ednsPayload != null) {
      q.addRecord(new OPTRecord(ednsPayload, 0, 0), Section.ADDITIONAL);
    }
    return q;
  }

  static byte[] udpRaw(InetSocketAddress server, byte[] wire, int timeoutMs) throws IOException {
    try (DatagramSocket s = new DatagramSocket()) {
      s.setSoTimeout(timeoutMs);
      s.send(new DatagramPacket(wire, wire.length, server));
      byte[] buf = new byte[65536];
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      s.receive(p);
      return Arrays.copyOf(buf, p.getLength());
    }
  }

  static Message udp(InetSocketAddress server, Message q) throws IOException {
    return new Message(udpRaw(server, q.toWire(), 5000));
  }

  static byte[] tcpRaw(InetSocketAddress server, byte[] wire) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(server, 2000);
      s.setSoTimeout(5000);
      DataOutputStream o = new DataOutputStream(s.getOutputStream());
      o.writeShort(wire.length);
      o.write(wire);
      o.flush();
      DataInputStream in = new DataInputStream(s.getInputStream());
      byte[] r = new byte[in.readUnsignedShort()];
      in.readFully(r);
      return r;
    }
  }

  static Message tcp(InetSocketAddress server, Message q) throws IOException {
    return new Message(tcpRaw(server, q.toWire()));
  }

  /** Writes one framed message on a TCP connection. */
  static void writeFrame(Socket s, byte[] wire) throws IOException {
    DataOutputStream o = new DataOutputStream(s.getOutputStream());
    o.writeShort(wire.length);
    o.write(wire);
    o.flush();
  }

  /** Reads one framed answer from a TCP connection. */
  static Message readFrame(Socket s) throws IOException {
    DataInputStream in = new DataInputStream(s.getInputStream());
    byte[] r = new byte[in.readUnsignedShort()];
    in.readFully(r);
    return new Message(r);
  }

  /** The connections of {@code opened} the server has not closed (EOF or reset within a second each). */
  static java.util.List<Socket> keptByServer(java.util.List<Socket> opened) throws IOException {
    java.util.List<Socket> kept = new java.util.ArrayList<>();
    for (Socket s : opened) {
      s.setSoTimeout(1000);
      boolean closed;
      try {
        closed = s.getInputStream().read() == -1;
      } catch (java.net.SocketTimeoutException e) {
        closed = false;
      } catch (IOException e) {
        closed = true; // reset
      }
      s.setSoTimeout(5000);
      if (!closed) {
        kept.add(s);
      }
    }
    return kept;
  }
}
