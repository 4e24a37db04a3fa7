package meshplane.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * 100,000 random and mutated packets over UDP (and a few thousand frames over TCP) at the
 * server on loopback. After every burst a well-formed probe must be answered within a second
 * (so nothing crashed or stalled), and at the end every packet read is accounted for in
 * exactly one counter. No upstreams: whatever parses as a foreign question gets SERVFAIL at once.
 */
@Tag("unit")
class FuzzTest {
  private static final int PACKETS = 100_000;
  private static final int BURST = 250;

  @Test
  void randomAndMutatedPacketsNeverCrashOrStallAndAreCounted() throws Exception {
    Random rnd = new Random(0x5eed);
    List<byte[]> seeds = new ArrayList<>();
    for (String n : List.of("web", "tasks.web", "web.1.aaa", "example.com", "2.1.0.10.in-addr.arpa", "_tcp.web")) {
      for (int t : new int[] {Type.A, Type.AAAA, Type.PTR, Type.SRV, Type.ANY}) {
        seeds.add(DnsClient.query(n, t, rnd.nextBoolean() ? 1232 : null).toWire());
      }
    }
    DnsConfig c = DnsConfig.defaults(List.of()).withThreads(2);
    try (DnsServer server = DnsServer.start(c, null);
        DatagramSocket fuzz = new DatagramSocket();
        DatagramSocket probe = new DatagramSocket()) {
      server.apply(DnsStates.state("mpt-none", 3));
      InetSocketAddress at = server.listenHere("mpt-none-a", new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      probe.setSoTimeout(1000);
      int probes = 0;
      for (int sent = 0; sent < PACKETS; ) {
        for (int i = 0; i < BURST && sent < PACKETS; i++, sent++) {
          byte[] p = sent % 2 == 0 ? random(rnd) : mutate(rnd, seeds.get(rnd.nextInt(seeds.size())));
          fuzz.send(new DatagramPacket(p, p.length, at));
        }
        probes++;
        byte[] q = DnsClient.query("web", Type.A, null).toWire();
        probe.send(new DatagramPacket(q, q.length, at));
        byte[] buf = new byte[4096];
        DatagramPacket r = new DatagramPacket(buf, buf.length);
        probe.receive(r); // SocketTimeoutException = stalled
        Message m = new Message(java.util.Arrays.copyOf(buf, r.getLength()));
        assertEquals(Rcode.NOERROR, m.getRcode());
      }
      int tcpFrames = tcpGarbage(rnd, at, seeds);
      Thread.sleep(200);
      Map<String, Long> n = server.counters().snapshot();
      long outcomes = n.get("local") + n.get("nodata") + n.get("nxdomain") + n.get("forwarded") + n.get("formerr")
          + n.get("notimp") + n.get("dropped");
      System.out.println("fuzz: " + PACKETS + " UDP packets, " + tcpFrames + " TCP frames, " + probes + " probes: " + n);
      assertEquals(n.get("received"), outcomes, "every packet read is counted once: " + n);
      assertTrue(n.get("received") >= PACKETS + probes, "no packet lost on loopback: " + n);
      assertTrue(n.get("formerr") > 1000 && n.get("dropped") > 1000, "both refusals seen: " + n);
      assertEquals(n.get("forwarded"), n.get("servfail"), "every forwarded question got its SERVFAIL");
      Message after = DnsClient.tcp(at, DnsClient.query("tasks.web", Type.A, null));
      assertEquals(3, after.getSection(org.xbill.DNS.Section.ANSWER).size(), "still serving over TCP");
    }
  }

  private static byte[] random(Random rnd) {
    byte[] p = new byte[rnd.nextInt(rnd.nextInt(10) == 0 ? 1500 : 80)];
    rnd.nextBytes(p);
    if (p.length > 2 && rnd.nextBoolean()) {
      p[2] &= 0x7f; // a "query", so it gets past the QR check and into the parser
    }
    return p;
  }

  private static byte[] mutate(Random rnd, byte[] seed) {
    byte[] p = seed.clone();
    switch (rnd.nextInt(5)) {
      case 0 -> p = java.util.Arrays.copyOf(p, rnd.nextInt(p.length + 1));
      case 1 -> p = java.util.Arrays.copyOf(p, p.length + 1 + rnd.nextInt(40));
      case 2 -> p[4 + rnd.nextInt(8)] = (byte) rnd.nextInt(256); // section counts
      case 3 -> p[12 + rnd.nextInt(p.length - 12)] = (byte) 0xc0; // compression pointers into nowhere, loops
      default -> {
        for (int i = 0; i < 1 + rnd.nextInt(4); i++) {
          p[rnd.nextInt(p.length)] ^= (byte) (1 << rnd.nextInt(8));
        }
      }
    }
    return p;
  }

  /** Random frames over a few TCP connections; each connection may be closed by the server on a bad one. */
  private static int tcpGarbage(Random rnd, InetSocketAddress at, List<byte[]> seeds) throws Exception {
    int frames = 0;
    for (int conn = 0; conn < 50; conn++) {
      try (Socket s = new Socket()) {
        s.connect(at, 2000);
        DataOutputStream o = new DataOutputStream(s.getOutputStream());
        for (int i = 0; i < 40; i++, frames++) {
          byte[] p = rnd.nextBoolean() ? random(rnd) : mutate(rnd, seeds.get(rnd.nextInt(seeds.size())));
          o.writeShort(p.length);
          o.write(p);
        }
        o.flush();
      } catch (java.io.IOException closedByServer) {
        // a frame it dropped closes the connection: expected
      }
    }
    return frames;
  }
}
