package meshplane.lab;

import java.util.ArrayList;
import java.util.List;

/**
 * The shape of a lab: its name and how many nodes. Everything the lab creates is named
 * {@code mp-NAME-...}, so labs with different names live side by side and teardown finds every
 * piece by prefix. Node K has underlay address 198.18.0.K/24 and the client 198.18.0.200/24.
 */
public record LabSpec(String name, int nodes) {
  /** The name of the lab meshctl drives when none is given. */
  public static final String DEFAULT_NAME = "lab";
  public static final int MAX_NODES = 50;
  public static final String UNDERLAY_PREFIX = "198.18.0.";
  public static final int UNDERLAY_PREFIX_LENGTH = 24;
  public static final int CLIENT_HOST_PART = 200;
  /** The underlay bridge inside the underlay namespace. */
  public static final String BRIDGE = "mp-br0";

  public LabSpec {
    if (name == null || !name.matches("[a-z0-9]{1,8}")) {
      throw new IllegalArgumentException("lab name \"" + name + "\" must be 1 to 8 lowercase letters or digits");
    }
    if (nodes < 1 || nodes > MAX_NODES) {
      throw new IllegalArgumentException("--nodes " + nodes + " must be between 1 and " + MAX_NODES);
    }
  }

  /** Prefix of every namespace of this lab. */
  public static String prefix(String labName) {
    return "mp-" + labName + "-";
  }

  public String prefix() {
    return prefix(name);
  }

  /** The hosts of this lab, underlay first, then node1..nodeN, then the client. */
  public List<LabHost> hosts() {
    List<LabHost> out = new ArrayList<>();
    out.add(new LabHost("underlay", LabHost.Role.UNDERLAY, prefix() + "underlay", null));
    for (int k = 1; k <= nodes; k++) {
      out.add(new LabHost("node" + k, LabHost.Role.NODE, prefix() + "node" + k, UNDERLAY_PREFIX + k));
    }
    out.add(new LabHost("client", LabHost.Role.CLIENT, prefix() + "client", UNDERLAY_PREFIX + CLIENT_HOST_PART));
    return out;
  }
}
