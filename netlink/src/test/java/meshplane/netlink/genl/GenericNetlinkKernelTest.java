package meshplane.netlink.genl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import meshplane.netlink.Errno;
import meshplane.netlink.KernelException;
import meshplane.netlink.NetNamespace;
import meshplane.netlink.NetlinkProtocol;
import meshplane.netlink.NetlinkSocket;
import meshplane.testkit.Command;
import meshplane.testkit.FreshNamespaces;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Family lookup against the kernel's controller, with genl(8) as the witness. */
@Tag("kernel")
@ExtendWith(FreshNamespaces.class)
class GenericNetlinkKernelTest {

  private static Command.Result genl(NetNamespace ns, String... args) {
    String[] argv = new String[args.length + 5];
    System.arraycopy(new String[] {"ip", "netns", "exec", ns.name(), "genl"}, 0, argv, 0, 5);
    System.arraycopy(args, 0, argv, 5, args.length);
    return Command.run(argv);
  }

  private static int hexField(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertTrue(m.find(), () -> "genl printed no match for " + regex + ":\n" + text);
    return Integer.parseInt(m.group(1), 16);
  }

  @Test
  void nlctrlResolvesAsGenlReportsIt(NetNamespace ns) {
    String witness = genl(ns, "ctrl", "get", "name", "nlctrl").orThrow();
    try (NetlinkSocket s = NetlinkSocket.open(NetlinkProtocol.GENERIC, ns)) {
      GenlFamily f = GenericNetlink.resolveFamily(s, "nlctrl");
      assertEquals("nlctrl", f.name());
      assertEquals(GenericNetlink.GENL_ID_CTRL, f.id());
      assertEquals(hexField(witness, "ID: 0x([0-9a-f]+)"), f.id());
      assertEquals(hexField(witness, "Version: 0x([0-9a-f]+)"), f.version());
      assertEquals(Integer.parseInt(find(witness, "header size: (\\d+)")), f.hdrsize());
      assertEquals(Integer.parseInt(find(witness, "max attribs: (\\d+)")), f.maxattr());
      assertEquals(hexField(witness, "ID-0x([0-9a-f]+)\\s+name: notify"), f.multicastGroup("notify").orElseThrow());
    }
    assertTrue(genl(ns, "ctrl", "list").orThrow().contains("Name: nlctrl"), "genl ctrl list names nlctrl");
  }

  private static String find(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertTrue(m.find(), () -> "genl printed no match for " + regex + ":\n" + text);
    return m.group(1);
  }

  /**
   * "IPVS" where the kernel has no IPVS (this test machine's) must be a clear ENOENT that says
   * the family is not available; where genl does find it, it must resolve to genl's id.
   */
  @Test
  void ipvsIsResolvedOrReportedUnavailableAsGenlSees(NetNamespace ns) {
    Command.Result witness = genl(ns, "ctrl", "get", "name", "IPVS");
    try (NetlinkSocket s = NetlinkSocket.open(NetlinkProtocol.GENERIC, ns)) {
      if (witness.ok()) {
        assertEquals(hexField(witness.output(), "ID: 0x([0-9a-f]+)"), GenericNetlink.resolveFamily(s, "IPVS").id());
        return;
      }
      assertTrue(witness.output().contains("No such file or directory"), witness.output());
      KernelException e = assertThrows(KernelException.class, () -> GenericNetlink.resolveFamily(s, "IPVS"));
      assertEquals(Errno.ENOENT, e.errno());
      assertEquals("ENOENT", e.errnoName());
      assertTrue(e.getMessage().contains("\"IPVS\""), e.getMessage());
      assertTrue(e.getMessage().contains("not available"), e.getMessage());
      assertTrue(e.getMessage().contains(ns.name()), e.getMessage());
      // the socket is still usable after the refusal
      assertEquals(GenericNetlink.GENL_ID_CTRL, GenericNetlink.resolveFamily(s, "nlctrl").id());
    }
  }

  @Test
  void anRtnetlinkSocketIsRefused(NetNamespace ns) {
    try (NetlinkSocket s = NetlinkSocket.open(NetlinkProtocol.ROUTE, ns)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> GenericNetlink.resolveFamily(s, "nlctrl"));
      assertTrue(e.getMessage().contains("needs a GENERIC socket"), e.getMessage());
    }
  }
}
