package meshplane.mesh.lb;

import java.util.ArrayList;
import java.util.List;
import meshplane.nft.CmpOp;
import meshplane.nft.Datum;
import meshplane.nft.Expr;
import meshplane.nft.MetaKey;
import meshplane.nft.NatType;
import meshplane.nft.NumgenType;
import meshplane.nft.PayloadBase;
import meshplane.nft.Register;

/**
 * The expression sequences the routing mesh's rules are built from, each the netlink form of a
 * short nft phrase (given in its javadoc). Values are kept in register 1 (NFT_REG_1); a
 * concatenation's second part goes to the next 32-bit register, as nft lays it out.
 */
final class NftExprs {
  static final int IPPROTO_TCP = 6;
  static final int IPPROTO_UDP = 17;
  /** NF_NAT_RANGE_MAP_IPS | NF_NAT_RANGE_PROTO_SPECIFIED as the rule carries them. */
  private static final int R1 = Register.REG_1;
  private static final int R2 = Register.REG_2;

  private NftExprs() {}

  static int protocolNumber(String protocol) {
    return switch (protocol) {
      case "tcp" -> IPPROTO_TCP;
      case "udp" -> IPPROTO_UDP;
      default -> throw new IllegalArgumentException("protocol \"" + protocol + "\" must be tcp or udp");
    };
  }

  /** {@code meta l4proto P}. */
  static List<Expr> l4proto(int protocol) {
    return List.of(new Expr.Meta(MetaKey.L4PROTO, R1), new Expr.Cmp(CmpOp.EQ, R1, Datum.u8(protocol)));
  }

  /** {@code th dport P}: the destination port of TCP or UDP (offset 2 of the transport header). */
  static List<Expr> thDport(int port) {
    return List.of(new Expr.Payload(PayloadBase.TRANSPORT, 2, 2, R1), new Expr.Cmp(CmpOp.EQ, R1, Datum.be16(port)));
  }

  /** {@code meta mark != 0}. */
  static List<Expr> marked() {
    return List.of(new Expr.Meta(MetaKey.MARK, R1), new Expr.Cmp(CmpOp.NEQ, R1, Datum.host32(0)));
  }

  /** {@code meta mark set ip daddr map @map}. */
  static List<Expr> markByDaddr(String map) {
    return List.of(new Expr.Payload(PayloadBase.NETWORK, 16, 4, R1), new Expr.Lookup(map, R1, R1, false),
        new Expr.MetaSet(MetaKey.MARK, R1));
  }

  /** {@code meta mark set meta l4proto . th dport map @map}. */
  static List<Expr> markByProtocolAndPort(String map) {
    return List.of(new Expr.Meta(MetaKey.L4PROTO, R1), new Expr.Payload(PayloadBase.TRANSPORT, 2, 2, Register.reg32(1)),
        new Expr.Lookup(map, R1, R1, false), new Expr.MetaSet(MetaKey.MARK, R1));
  }

  /** {@code meta l4proto . th dport @set}. */
  static List<Expr> protocolAndPortIn(String set) {
    return List.of(new Expr.Meta(MetaKey.L4PROTO, R1), new Expr.Payload(PayloadBase.TRANSPORT, 2, 2, Register.reg32(1)),
        new Expr.Lookup(set, R1, 0, false));
  }

  /** {@code meta mark vmap @map}. */
  static List<Expr> dispatchByMark(String map) {
    return List.of(new Expr.Meta(MetaKey.MARK, R1), new Expr.Lookup(map, R1, Register.VERDICT, false));
  }

  /** {@code dnat to A} (port unchanged). */
  static List<Expr> dnatTo(String address) {
    return List.of(new Expr.Immediate(R1, Datum.ipv4(address)), new Expr.Nat(NatType.DNAT, R1, 0, 0));
  }

  /** {@code dnat to A:P}. */
  static List<Expr> dnatTo(String address, int port) {
    return List.of(new Expr.Immediate(R1, Datum.ipv4(address)), new Expr.Immediate(R2, Datum.be16(port)),
        new Expr.Nat(NatType.DNAT, R1, R2, 0));
  }

  /** {@code snat to A}. */
  static List<Expr> snatTo(String address) {
    return List.of(new Expr.Immediate(R1, Datum.ipv4(address)), new Expr.Nat(NatType.SNAT, R1, 0, 0));
  }

  /**
   * {@code dnat to meta mark . numgen inc mod N map @backends [: port]}: round robin over the
   * service's N entries of the shared backend map (keyed by the flow's mark and an index),
   * keeping the destination port when {@code port} is 0.
   */
  static List<Expr> roundRobinDnat(String backends, int count, int port) {
    List<Expr> e = new ArrayList<>();
    e.add(new Expr.Meta(MetaKey.MARK, R1));
    e.add(new Expr.Numgen(Register.reg32(1), count, NumgenType.INCREMENTAL, 0));
    e.add(new Expr.Lookup(backends, R1, R1, false));
    if (port != 0) {
      e.add(new Expr.Immediate(R2, Datum.be16(port)));
    }
    e.add(new Expr.Nat(NatType.DNAT, R1, port != 0 ? R2 : 0, 0));
    return e;
  }

  @SafeVarargs
  static List<Expr> concat(List<Expr>... parts) {
    List<Expr> all = new ArrayList<>();
    for (List<Expr> p : parts) {
      all.addAll(p);
    }
    return all;
  }
}
