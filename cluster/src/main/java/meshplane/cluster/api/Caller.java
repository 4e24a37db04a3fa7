package meshplane.cluster.api;

import meshplane.cluster.model.InvalidRequestException;
import meshplane.pki.CertRole;
import meshplane.pki.NodeIdentity;

/**
 * Who sent a request, as the connection proved it: root on the daemon's local socket, a peer
 * with no certificate on the join channel (a node joining with a token), or the holder of a
 * certificate of this cluster's CA (a node, as its CN and OU say, or an administrator's client).
 * A manager that forwards a request to the leader names its caller in {@link #HEADER}; the leader
 * believes that header from a manager's connection only.
 */
public sealed interface Caller {
  /** The header a forwarding manager names the original caller in. */
  String HEADER = "X-Meshplane-Caller";

  Caller LOCAL = new Local();
  Caller ANONYMOUS = new Anonymous();

  /** For messages: "the local socket", "worker node 3f2a...", ... */
  String describe();

  /** The header value that names this caller to the leader. */
  String header();

  /** Root on the node's unix socket. */
  record Local() implements Caller {
    @Override
    public String describe() {
      return "the local socket";
    }

    @Override
    public String header() {
      return "local";
    }
  }

  /** A TLS peer without a certificate (the join channel only). */
  record Anonymous() implements Caller {
    @Override
    public String describe() {
      return "a peer without a certificate";
    }

    @Override
    public String header() {
      return "anonymous";
    }
  }

  /** The holder of a certificate the cluster's CA issued. */
  record Certified(NodeIdentity identity) implements Caller {
    public boolean is(CertRole role) {
      return identity.role() == role;
    }

    /** A node (manager or worker), not an administrator's client. */
    public boolean isNode() {
      return identity.role() != CertRole.CLIENT;
    }

    @Override
    public String describe() {
      return switch (identity.role()) {
        case MANAGER -> "manager node " + identity.nodeId();
        case WORKER -> "worker node " + identity.nodeId();
        case CLIENT -> "client " + identity.nodeId();
      };
    }

    @Override
    public String header() {
      return identity.role().ou() + ":" + identity.nodeId() + ":" + identity.clusterId();
    }
  }

  /** The caller a header names; a malformed one is a 400 naming the header. */
  static Caller parseHeader(String value) {
    if ("local".equals(value)) {
      return LOCAL;
    }
    if ("anonymous".equals(value)) {
      return ANONYMOUS;
    }
    String[] p = value == null ? new String[0] : value.split(":", -1);
    try {
      if (p.length == 3) {
        return new Certified(new NodeIdentity(p[1], CertRole.ofOu(p[0]), p[2]));
      }
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(HEADER, e.getMessage());
    }
    throw new InvalidRequestException(HEADER, "must be local, anonymous or OU:NODE:CLUSTER");
  }
}
