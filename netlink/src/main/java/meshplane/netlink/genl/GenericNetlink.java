package meshplane.netlink.genl;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import meshplane.netlink.Attribute;
import meshplane.netlink.Attributes;
import meshplane.netlink.Errno;
import meshplane.netlink.KernelException;
import meshplane.netlink.Message;
import meshplane.netlink.MessageBuilder;
import meshplane.netlink.NetlinkProtocol;
import meshplane.netlink.NetlinkSocket;

/**
 * Generic netlink ({@code <linux/genetlink.h>}): the genlmsghdr every request starts with, and
 * the controller ("nlctrl", id 16) that turns a family name such as "IPVS" into the message type
 * its requests carry. Equivalent to {@code genl ctrl get name NAME}.
 *
 * <pre>
 * nlmsghdr (16) | genlmsghdr: u8 cmd, u8 version, u16 reserved (4) | family header (hdrsize) | attributes
 * </pre>
 */
public final class GenericNetlink {
  /** sizeof(struct genlmsghdr). */
  public static final int GENL_HDRLEN = 4;
  /** Family names are at most 15 bytes plus the NUL (GENL_NAMSIZ). */
  public static final int GENL_NAMSIZ = 16;

  /** The controller's fixed family id (GENL_ID_CTRL). */
  public static final int GENL_ID_CTRL = 0x10;
  public static final int CTRL_CMD_NEWFAMILY = 1;
  public static final int CTRL_CMD_GETFAMILY = 3;

  public static final int CTRL_ATTR_FAMILY_ID = 1;
  public static final int CTRL_ATTR_FAMILY_NAME = 2;
  public static final int CTRL_ATTR_VERSION = 3;
  public static final int CTRL_ATTR_HDRSIZE = 4;
  public static final int CTRL_ATTR_MAXATTR = 5;
  public static final int CTRL_ATTR_OPS = 6;
  public static final int CTRL_ATTR_MCAST_GROUPS = 7;
  public static final int CTRL_ATTR_MCAST_GRP_NAME = 1;
  public static final int CTRL_ATTR_MCAST_GRP_ID = 2;

  private GenericNetlink() {}

  /** A request to {@code familyId}: the netlink header (filled in on send) and genlmsghdr. */
  public static MessageBuilder request(int familyId, int cmd, int version, int flags) {
    return new MessageBuilder(familyId, flags).u8(cmd).u8(version).u16(0);
  }

  /**
   * CTRL_CMD_GETFAMILY for {@code name}, byte for byte what {@code genl ctrl get name NAME}
   * sends (version 0: the controller does not look at it).
   */
  public static MessageBuilder getFamilyRequest(String name) {
    checkName(name);
    return request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0, 0).attrString(CTRL_ATTR_FAMILY_NAME, name);
  }

  private static void checkName(String name) {
    if (name == null || name.isEmpty() || name.getBytes(StandardCharsets.UTF_8).length >= GENL_NAMSIZ) {
      throw new IllegalArgumentException("generic netlink family name \"" + name
          + "\" must be 1 to " + (GENL_NAMSIZ - 1) + " bytes");
    }
  }

  /**
   * Looks up a family by name over a NETLINK_GENERIC socket. A family the kernel does not have
   * (module absent or not built) raises a {@link KernelException} with ENOENT whose message says
   * the family is not available; that is how a caller tells "no IPVS here" from other failures.
   */
  public static GenlFamily resolveFamily(NetlinkSocket socket, String name) {
    if (socket.protocol() != NetlinkProtocol.GENERIC) {
      throw new IllegalArgumentException("resolving generic netlink family \"" + name
          + "\" needs a GENERIC socket, not " + socket.protocol());
    }
    String object = "generic netlink family \"" + name + "\" in netns " + socket.namespace();
    List<Message> replies;
    try {
      replies = socket.request(getFamilyRequest(name), "resolve", object);
    } catch (KernelException e) {
      if (e.errno() == Errno.ENOENT) {
        throw new KernelException("resolve", object
            + " (the family is not available: this kernel has no such module loaded or built in)",
            Errno.ENOENT, e.kernelMessage());
      }
      throw e;
    }
    for (Message m : replies) {
      if (m.type() == GENL_ID_CTRL) {
        return parseFamily(m);
      }
    }
    throw new IllegalStateException("the controller acknowledged " + object + " but sent no description");
  }

  /** Decodes a CTRL_CMD_NEWFAMILY message (the controller's answer to GETFAMILY). */
  public static GenlFamily parseFamily(Message m) {
    if (m.payload().remaining() < GENL_HDRLEN) {
      throw new IllegalStateException("controller message of " + m.payload().remaining()
          + " bytes is shorter than genlmsghdr");
    }
    Attributes a = m.attributes(GENL_HDRLEN);
    String name = a.string(CTRL_ATTR_FAMILY_NAME).orElseThrow(
        () -> new IllegalStateException("controller message without CTRL_ATTR_FAMILY_NAME"));
    int id = a.get(CTRL_ATTR_FAMILY_ID).map(Attribute::u16).orElseThrow(
        () -> new IllegalStateException("controller message for " + name + " without CTRL_ATTR_FAMILY_ID"));
    Map<String, Integer> groups = new HashMap<>();
    a.nested(CTRL_ATTR_MCAST_GROUPS).ifPresent(list -> {
      for (Attribute group : list.all()) {
        Attributes g = group.nestedAttributes();
        groups.put(g.string(CTRL_ATTR_MCAST_GRP_NAME).orElse(""), g.u32(CTRL_ATTR_MCAST_GRP_ID).orElse(0));
      }
    });
    return new GenlFamily(name, id, a.u32(CTRL_ATTR_VERSION).orElse(0), a.u32(CTRL_ATTR_HDRSIZE).orElse(0),
        a.u32(CTRL_ATTR_MAXATTR).orElse(0), groups);
  }
}
