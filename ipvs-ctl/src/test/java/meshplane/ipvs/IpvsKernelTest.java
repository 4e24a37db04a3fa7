package meshplane.ipvs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import meshplane.netlink.Errno;
import meshplane.netlink.KernelException;
import meshplane.netlink.NetNamespace;
import meshplane.testkit.Command;
import meshplane.testkit.FreshNamespaces;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The client against this machine's kernel, in a fresh namespace. Whether the kernel has IPVS is
 * decided by a witness outside meshplane ({@code genl ctrl get name IPVS} in the namespace): where
 * it has none (this machine), the client must say so cleanly; where it has one (the VM tier's stock
 * kernel), a real add / list / edit / delete round trip is checked against {@code ipvsadm -Ln}
 * when installed, and always against the kernel's own {@code /proc/net/ip_vs}.
 */
@Tag("kernel")
@Tag("vm")
@ExtendWith(FreshNamespaces.class)
class IpvsKernelTest {

  private static Command.Result in(NetNamespace ns, String... argv) {
    return Command.inNamespace(ns.name(), argv);
  }

  private static boolean kernelHasIpvs(NetNamespace ns) {
    return in(ns, "genl", "ctrl", "get", "name", "IPVS").ok();
  }

  @Test
  void availabilityMatchesTheControllerAndOpenSaysWhy(NetNamespace ns) {
    IpvsAvailability a = Ipvs.availability(ns);
    assertEquals(kernelHasIpvs(ns), a.available(), a.reason());
    assertEquals(a.available(), Ipvs.isAvailable(ns));
    // the family is registered kernel-wide: the caller's own namespace (only read) agrees
    assertEquals(a.available(), Ipvs.isAvailable(), Ipvs.availability().reason());
    if (a.available()) {
      assertTrue(a.reason().contains("\"IPVS\" has id"), a.reason());
      try (Ipvs ipvs = Ipvs.open(ns)) {
        assertTrue(ipvs.familyId() > 0x10);
      }
      return;
    }
    assertTrue(a.reason().contains("no IPVS in netns " + ns.name()), a.reason());
    assertTrue(a.reason().contains("generic netlink family \"IPVS\""), a.reason());
    KernelException e = assertThrows(KernelException.class, () -> Ipvs.open(ns));
    assertEquals(Errno.ENOENT, e.errno());
    assertEquals("open", e.operation());
    assertEquals("open IPVS in netns " + ns.name() + " (the kernel has no generic netlink family \"IPVS\":"
        + " module ip_vs not loaded, or CONFIG_IP_VS not built): ENOENT (No such file or directory)", e.getMessage());
  }

  @Test
  void servicesAndDestinationsRoundTripWhereTheKernelHasIpvs(NetNamespace ns) throws Exception {
    // where there is nothing to program, the test is reported skipped with the reason (the
    // refusal itself is checked by availabilityMatchesTheControllerAndOpenSaysWhy)
    Assumptions.assumeTrue(kernelHasIpvs(ns), () -> Ipvs.availability(ns).reason());
    in(ns, "ip", "link", "set", "lo", "up").orThrow(); // IPVS wants a local routing table for destinations
    ServiceKey web = ServiceKey.tcp("10.0.0.2", 80);
    ServiceKey mark = ServiceKey.fwmark(0x100);
    IpvsDestination d1 = IpvsDestination.masquerade("10.0.1.5", 8080, 1);
    IpvsDestination d2 = IpvsDestination.masquerade("10.0.1.6", 8080, 2);
    try (Ipvs ipvs = Ipvs.open(ns)) {
      ipvs.addService(IpvsService.of(web, "rr"));
      ipvs.addService(IpvsService.of(mark, "rr").persistent(60));
      ipvs.addDestination(web, d1);
      ipvs.addDestination(web, d2);
      ipvs.addDestination(mark, d1);

      String proc = in(ns, "cat", "/proc/net/ip_vs").orThrow();
      assertTrue(proc.contains("TCP  0A000002:0050 rr"), proc);
      assertTrue(proc.contains("-> 0A000105:1F90"), proc);
      // the kernel prints the persistence timeout in jiffies, hence any number
      assertTrue(proc.matches("(?s).*FWM  00000100 rr\\s+persistent \\d+ FFFFFFFF.*"), proc);
      Command.Result ipvsadm = in(ns, "ipvsadm", "-Ln");
      if (ipvsadm.ok()) {
        String out = ipvsadm.output();
        assertTrue(out.contains("TCP  10.0.0.2:80 rr"), out);
        assertTrue(out.contains("10.0.1.6:8080") && out.contains("Masq"), out);
        assertTrue(out.contains("FWM  256 rr persistent 60"), out);
      }

      assertEquals(2, ipvs.services().size());
      assertEquals(IpvsService.of(mark, "rr").persistent(60), ipvs.service(mark).orElseThrow().service());
      List<DestinationWithStats> dests = ipvs.destinations(web);
      assertEquals(List.of(d1, d2).stream().sorted(java.util.Comparator.comparing(IpvsDestination::toString)).toList(),
          dests.stream().map(DestinationWithStats::destination)
              .sorted(java.util.Comparator.comparing(IpvsDestination::toString)).toList());

      KernelException twice = assertThrows(KernelException.class, () -> ipvs.addService(IpvsService.of(web, "rr")));
      assertEquals("add service tcp 10.0.0.2:80 in netns " + ns.name()
          + " (the service exists already): EEXIST (File exists)", twice.getMessage());

      ipvs.editDestination(web, d2.withWeight(0));
      assertTrue(in(ns, "cat", "/proc/net/ip_vs").orThrow().toLowerCase(Locale.ROOT)
          .matches("(?s).*-> 0a000106:1f90\\s+masq\\s+0\\s.*"));
      ipvs.deleteDestination(web, InetAddress.getByName("10.0.1.5"), 8080);
      assertEquals(1, ipvs.destinations(web).size());

      ipvs.setTimeouts(new IpvsTimeouts(901, 121, 301));
      assertEquals(new IpvsTimeouts(901, 121, 301), ipvs.timeouts());

      ipvs.deleteService(web);
      assertTrue(ipvs.service(web).isEmpty());
      KernelException gone = assertThrows(KernelException.class, () -> ipvs.deleteService(web));
      assertEquals(Errno.ESRCH, gone.errno());
      assertThrows(KernelException.class, () -> ipvs.destinations(web));
      ipvs.flush();
      assertEquals(List.of(), ipvs.services());
      assertFalse(in(ns, "cat", "/proc/net/ip_vs").orThrow().contains("FWM"));
    }
  }
}
