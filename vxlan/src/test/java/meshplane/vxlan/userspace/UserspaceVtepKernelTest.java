package meshplane.vxlan.userspace;

import meshplane.nettyio.TransportChoice;
import static meshplane.vxlan.userspace.InteropBed.EA_IP;
import static meshplane.vxlan.userspace.InteropBed.EB_IP;
import static meshplane.vxlan.userspace.InteropBed.HA_UNDERLAY;
import static meshplane.vxlan.userspace.InteropBed.NET;
import static meshplane.vxlan.userspace.InteropBed.pingsAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
import meshplane.netlink.NetNamespace;
import meshplane.netlink.rtnl.TunTap;
import meshplane.testkit.Command;
import meshplane.testkit.FreshNamespaces;
import meshplane.vxlan.OverlayNetwork;
import meshplane.vxlan.Peer;
import meshplane.vxlan.PeerChange;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The userspace VTEP against the real peer: the Linux kernel's own VXLAN device, built by hand
 * with ip and bridge (see {@link InteropBed}). Ping and TCP go both ways over each transport.
 */
@Tag("kernel")
@ExtendWith(FreshNamespaces.class)
class UserspaceVtepKernelTest {

  @ParameterizedTest
  @EnumSource(value = TransportChoice.class, names = {"EPOLL", "IO_URING"})
  void interoperatesWithTheKernelVxlanDeviceBothWays(TransportChoice transport, FreshNamespaces.Namespaces spaces)
      throws Exception {
    try (InteropBed bed = InteropBed.build(spaces, transport)) {
      assertEquals(transport == TransportChoice.EPOLL ? "epoll" : "io_uring", bed.vtep.transport());

      assertTrue(pingsAll(bed.eB, EA_IP, 3), "userspace side eB -> kernel side eA: " + InteropBed.ping(bed.eB, EA_IP, 1).output());
      assertTrue(pingsAll(bed.eA, EB_IP, 3), "kernel side eA -> userspace side eB: " + InteropBed.ping(bed.eA, EB_IP, 1).output());
      VtepCounters afterPing = bed.vtep.counters();
      assertTrue(afterPing.arpRepliesSent() >= 1, "eB's ARP for the peer eA was answered by the proxy: " + afterPing);
      assertTrue(afterPing.txDatagrams() >= 6 && afterPing.rxFramesToTap() >= 6, afterPing.toString());

      assertEquals("hello", bed.tcpEcho(bed.eB, EB_IP, bed.eA), "TCP kernel side -> userspace side");
      assertEquals("hello", bed.tcpEcho(bed.eA, EA_IP, bed.eB), "TCP userspace side -> kernel side");

      double toUserspace = bed.iperf(bed.eB, EB_IP, bed.eA, 1, false);
      double fromUserspace = bed.iperf(bed.eB, EB_IP, bed.eA, 1, true);
      System.out.printf("iperf3 1 s over %s: kernel -> userspace %.2f Gbit/s, userspace -> kernel %.2f Gbit/s; %s%n",
          bed.vtep.transport(), toUserspace, fromUserspace, bed.vtep.counters());
      assertTrue(toUserspace > 0.01 && fromUserspace > 0.01, toUserspace + " / " + fromUserspace);
    }
  }

  @Test
  void garbageAndForeignVnisAreCountedAndDoNotBreakTheChannel(FreshNamespaces.Namespaces spaces) throws Exception {
    try (InteropBed bed = InteropBed.build(spaces, TransportChoice.AUTO)) {
      assertEquals("io_uring", bed.vtep.transport(), "AUTO picks io_uring where Netty has it (this kernel does)");
      assertTrue(pingsAll(bed.eA, EB_IP, 1));
      VtepCounters before = bed.vtep.counters();

      byte[] inner = InteropBed.peerA(HA_UNDERLAY).mac().bytes(); // any 14+ bytes will do as a frame
      byte[] foreign = new byte[8 + 60];
      foreign[0] = 0x08;
      foreign[6] = 43; // vni 43: no network
      System.arraycopy(inner, 0, foreign, 8, inner.length);
      Random random = new Random(4789);
      int garbage = 200;
      bed.hA.run(() -> {
        try (DatagramSocket s = new DatagramSocket()) {
          InetSocketAddress vtep = new InetSocketAddress(InteropBed.HB_UNDERLAY, 4789);
          s.send(new DatagramPacket(foreign, foreign.length, vtep));
          s.send(new DatagramPacket(new byte[0], 0, vtep));
          s.send(new DatagramPacket("not vxlan".getBytes(), 9, vtep));
          for (int i = 0; i < garbage; i++) {
            byte[] b = new byte[1 + random.nextInt(1500)];
            random.nextBytes(b);
            b[0] &= ~0x08; // no I flag: malformed whatever its length
            s.send(new DatagramPacket(b, b.length, vtep));
          }
        }
      });
      VtepCounters after = await(bed.vtep, c -> c.droppedMalformed() - before.droppedMalformed() >= garbage + 2
          && c.droppedForeignVni() - before.droppedForeignVni() >= 1);
      assertEquals(garbage + 2, after.droppedMalformed() - before.droppedMalformed(), after.toString());
      assertEquals(1, after.droppedForeignVni() - before.droppedForeignVni(), after.toString());
      assertTrue(after.rxDatagrams() - before.rxDatagrams() >= garbage + 3, after.toString());

      // Random inner frames behind a good header for vni 42, some larger than the MTU: they go
      // through the whole RX path (checksums, segmentation, the TAP) and each is accounted for.
      int frames = 300;
      bed.hA.run(() -> {
        try (DatagramSocket s = new DatagramSocket()) {
          for (int i = 0; i < frames; i++) {
            byte[] b = new byte[8 + 14 + random.nextInt(i % 3 == 0 ? 9000 : 1400)];
            random.nextBytes(b);
            b[0] = 0x08;
            b[4] = 0;
            b[5] = 0;
            b[6] = 42;
            if (i % 2 == 0) {
              b[8 + 12] = 0x08; // an IPv4 ethertype, so the IPv4 paths parse garbage too
              b[8 + 13] = 0x00;
              b[8 + 14] = 0x45;
            }
            s.send(new DatagramPacket(b, b.length, new InetSocketAddress(InteropBed.HB_UNDERLAY, 4789)));
          }
        }
      });
      VtepCounters mid = after;
      VtepCounters end = await(bed.vtep, c -> c.rxDatagrams() - mid.rxDatagrams() >= frames);
      assertEquals(frames, end.rxDatagrams() - mid.rxDatagrams(), end.toString());
      assertEquals(frames, (end.rxFramesToTap() - mid.rxFramesToTap()) + (end.droppedOversize() - mid.droppedOversize())
          + (end.tapWriteErrors() - mid.tapWriteErrors()), "each frame written, or dropped as oversize: " + end);
      assertTrue(end.droppedOversize() > mid.droppedOversize(), end.toString());
      assertEquals(0, end.sendErrors(), end.toString());

      assertTrue(pingsAll(bed.eA, EB_IP, 3), "pings still cross after the garbage");
      assertTrue(pingsAll(bed.eB, EA_IP, 3), "both ways");
    }
  }

  @ParameterizedTest
  @EnumSource(value = TransportChoice.class, names = {"EPOLL", "IO_URING"})
  void removedPeersAreUnreachableAndRepointsTakeEffect(TransportChoice transport, FreshNamespaces.Namespaces spaces) {
    try (InteropBed bed = InteropBed.build(spaces, transport)) {
      Peer eA = InteropBed.peerA(HA_UNDERLAY);
      assertEquals(Set.of(eA), bed.vtep.peers(NET.id()));
      assertTrue(pingsAll(bed.eB, EA_IP, 2));

      bed.vtep.apply(NET.id(), List.of(new PeerChange.Remove(eA)));
      assertEquals(Set.of(), bed.vtep.peers(NET.id()));
      VtepCounters before = bed.vtep.counters();
      assertFalse(InteropBed.ping(bed.eB, EA_IP, 2).ok(), "eA's MAC is no peer's any more: frames to it are dropped");
      assertFalse(InteropBed.ping(bed.eA, EB_IP, 2).ok(), "eB's replies to eA are dropped too");
      assertTrue(bed.vtep.counters().droppedUnknownDestination() > before.droppedUnknownDestination(), bed.vtep.counters().toString());
      InteropBed.ip(bed.eB, "neigh", "flush", "dev", "eth0");
      assertFalse(InteropBed.ping(bed.eB, EA_IP, 1).ok(), "nor is eA's IP answered by the ARP proxy");
      assertTrue(bed.vtep.counters().droppedArp() > before.droppedArp(), bed.vtep.counters().toString());

      Peer misplaced = InteropBed.peerA("198.18.5.9");
      bed.vtep.apply(NET.id(), List.of(new PeerChange.Add(misplaced)));
      assertFalse(InteropBed.ping(bed.eB, EA_IP, 2).ok(), "sent to a VTEP where eA is not");
      bed.vtep.apply(NET.id(), List.of(new PeerChange.Repoint(misplaced, eA)));
      assertEquals(Set.of(eA), bed.vtep.peers(NET.id()));
      assertTrue(pingsAll(bed.eB, EA_IP, 2), "repointed to eA's real VTEP");
      assertTrue(pingsAll(bed.eA, EB_IP, 2));

      bed.vtep.removeNetwork(NET.id());
      assertFalse(Command.run("ip", "-n", bed.sB.name(), "link", "show", "mp-tap0").ok(),
          "removeNetwork closed the TAP, so the kernel removed the device");
      assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().equals("mp-vtep-tap-red")),
          "the TAP reader thread has ended");
      assertFalse(InteropBed.ping(bed.eA, EB_IP, 1).ok());
    }
  }

  @Test
  void badInputIsRefusedNamingIt(NetNamespace host, FreshNamespaces.Namespaces spaces) {
    InteropBed.ip(host, "link", "set", "lo", "up");
    NetNamespace sandbox = spaces.create(NetNamespace.class);
    try (UserspaceVtep vtep = UserspaceVtep.start(host, InteropBed.v4("127.0.0.1"), 4789, TransportChoice.EPOLL)) {
      assertEquals(new InetSocketAddress("127.0.0.1", 4789), vtep.localAddress());
      IllegalStateException taken = assertThrows(IllegalStateException.class,
          () -> UserspaceVtep.start(host, InteropBed.v4("127.0.0.1"), 4789, TransportChoice.IO_URING));
      assertTrue(taken.getMessage().startsWith("userspace VTEP 127.0.0.1:4789 in netns " + host.name() + ": bind failed"),
          taken.getMessage());

      try (TunTap tap = TunTap.create(sandbox, "mp-tap0", TunTap.Mode.TAP, false)) {
        OverlayNetwork otherPort = new OverlayNetwork("blue", 7, NET.subnet(), NET.gateway(), 1450, 8472);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> vtep.addNetwork(otherPort, tap));
        assertTrue(e.getMessage().contains("add network blue: its VXLAN port 8472 is not this VTEP's port 4789"), e.getMessage());
      }
      try (TunTap tun = TunTap.create(sandbox, "mp-tun0", TunTap.Mode.TUN, false)) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> vtep.addNetwork(NET, tun));
        assertTrue(e.getMessage().contains("must be a TAP"), e.getMessage());
      }
      vtep.addNetwork(NET, TunTap.create(sandbox, "mp-tap1", TunTap.Mode.TAP, false));
      try (TunTap again = TunTap.create(sandbox, "mp-tap2", TunTap.Mode.TAP, false)) {
        OverlayNetwork sameVni = OverlayNetwork.of("blue", NET.vni(), "10.98.0.0/24", "10.98.0.1");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> vtep.addNetwork(sameVni, again));
        assertTrue(e.getMessage().contains("vni 42 is carried already for network red"), e.getMessage());
      }
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> vtep.peers("green"));
      assertTrue(e.getMessage().endsWith("list peers of network green: it is not carried"), e.getMessage());
    }
    assertFalse(Command.run("ip", "-n", sandbox.name(), "link", "show", "mp-tap1").ok(), "close() closed the TAP it owned");
    IllegalStateException closed = assertThrows(IllegalStateException.class, () -> {
      UserspaceVtep v = UserspaceVtep.start(host, InteropBed.v4("127.0.0.1"), 4789, TransportChoice.EPOLL);
      v.close();
      v.addNetwork(NET, null);
    });
    assertTrue(closed.getMessage().endsWith("the VTEP is closed"), closed.getMessage());
  }

  private static VtepCounters await(UserspaceVtep vtep, Predicate<VtepCounters> done) throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    VtepCounters c = vtep.counters();
    while (!done.test(c) && System.nanoTime() < deadline) {
      Thread.sleep(20);
      c = vtep.counters();
    }
    return c;
  }
}
