package meshplane.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import meshplane.netlink.NetNamespace;
import meshplane.testkit.FreshNamespaces;
import meshplane.testkit.TestNamespace;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * The TCP limits on the real listeners: two fresh namespaces as tasks a and b, the server
 * listening on 127.0.0.11:53 in each (as on a node), clients' sockets born inside them.
 */
@Tag("kernel")
@ExtendWith(FreshNamespaces.class)
class DnsNamespaceLimitsKernelTest {

  /** {@code n} TCP connections to 127.0.0.11:53 made from inside {@code ns}. */
  private static List<Socket> connect(String ns, int n) {
    try (NetNamespace handle = NetNamespace.open(ns)) {
      return handle.call(() -> {
        List<Socket> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          Socket s = new Socket();
          s.connect(DnsConfig.DOCKER_ADDRESS, 2000);
          all.add(s);
        }
        return all;
      });
    }
  }

  @Test
  void eachTaskHasItsOwnConnectionsInsideTheTotalAndPipelinesOnThem(FreshNamespaces.Namespaces namespaces) throws Exception {
    TestNamespace a = namespaces.create();
    TestNamespace b = namespaces.create();
    List<Socket> sockets = new ArrayList<>();
    DnsConfig c = DnsConfig.defaults(List.of()).withThreads(2).withLimits(DnsLimits.DEFAULTS.withTcpConnections(4, 6));
    try (DnsServer server = DnsServer.start(c, null)) {
      assertEquals(List.of(a.name(), b.name()), server.apply(DnsStates.valid(a.name(), b.name(), 100)).opened());
      List<Socket> ofA = connect(a.name(), 5);
      sockets.addAll(ofA);
      List<Socket> keptA = DnsClient.keptByServer(ofA);
      assertEquals(4, keptA.size(), "4 per task: a's 5th closed");
      List<Socket> ofB = connect(b.name(), 3);
      sockets.addAll(ofB);
      List<Socket> keptB = DnsClient.keptByServer(ofB);
      assertEquals(2, keptB.size(), "6 in all: b gets the 2 a left");
      DnsClient.writeFrame(keptB.get(0), DnsClient.query("db", Type.A, null).toWire());
      assertEquals(Rcode.NOERROR, DnsClient.readFrame(keptB.get(0)).getRcode());
      assertEquals(2, server.counters().snapshot().get("tcpRefused"));

      // 1,000 queries in one write on one of a's connections: every one answered, in any order
      Socket s = keptA.get(0);
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      DataOutputStream o = new DataOutputStream(all);
      for (int i = 0; i < 1000; i++) {
        Message q = DnsClient.query(i % 3 == 0 ? "tasks.big" : "web", Type.A, null);
        q.getHeader().setID(i);
        byte[] w = q.toWire();
        o.writeShort(w.length);
        o.write(w);
      }
      s.getOutputStream().write(all.toByteArray());
      Set<Integer> ids = new HashSet<>();
      for (int i = 0; i < 1000; i++) {
        Message r = DnsClient.readFrame(s);
        assertEquals(Rcode.NOERROR, r.getRcode());
        ids.add(r.getHeader().getID());
      }
      assertEquals(1000, ids.size());

      keptA.get(1).close();
      TimeUnit.MILLISECONDS.sleep(300);
      List<Socket> again = connect(b.name(), 1);
      sockets.addAll(again);
      assertEquals(1, DnsClient.keptByServer(again).size(), "a place a gave back is b's");
    } finally {
      for (Socket s : sockets) {
        s.close();
      }
    }
  }
}
