package meshplane.mesh.lb;

import java.util.ArrayList;
import java.util.List;
import meshplane.nft.CmpOp;
import meshplane.nft.CtKey;
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

  static int protocolNumber(meshplane.dataplane.Protocol protocol) {
    return switch (protocol) {
      case TCP -> IPPROTO_TCP;
      case UDP -> IPPROTO_UDP;
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

  /**
   * {@code fib daddr type local}: the destination is an address of this namespace (Docker's
   * {@code -m addrtype --dst-type LOCAL}).
   */
  static List<Expr> localDestination() {
    return List.of(new Expr.Fib(Expr.Fib.FIB_RESULT_ADDRTYPE, Expr.Fib.FIB_DADDR, R1),
        new Expr.Cmp(CmpOp.EQ, R1, Datum.host32(Expr.Fib.RTN_LOCAL)));
  }

  /**
   * {@code ip daddr != 127.0.0.0/8}: not a loopback destination (Docker's {@code ! -d 127.0.0.0/8}
   * in OUTPUT): a DNAT of a loopback destination cannot leave the namespace anyway, and the node's
   * own services on loopback (a resolver on 127.0.0.53 the DNS forwarder asks) stay reachable.
   */
  static List<Expr> notLoopbackDestination() {
    return List.of(new Expr.Payload(PayloadBase.NETWORK, 16, 4, R1),
        new Expr.Bitwise(R1, R1, 4, Datum.ipv4("255.0.0.0"), Datum.ipv4("0.0.0.0")),
        new Expr.Cmp(CmpOp.NEQ, R1, Datum.ipv4("127.0.0.0")));
  }

  /** {@code ip saddr != @set}. */
  static List<Expr> saddrNotIn(String set) {
    return List.of(new Expr.Payload(PayloadBase.NETWORK, 12, 4, R1), new Expr.Lookup(set, R1, 0, true));
  }

  /** {@code counter drop}. */
  static List<Expr> countAndDrop() {
    return List.of(new Expr.Counter(), new Expr.VerdictExpr(meshplane.nft.Verdict.DROP));
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

  /**
   * {@code ct mark set meta mark map @counts}: the flow's backend count, kept in the conntrack
   * mark for the next rule (one lookup per rule, so nft can show both rules).
   */
  static List<Expr> countByMark(String counts) {
    return List.of(new Expr.Meta(MetaKey.MARK, R1), new Expr.Lookup(counts, R1, R1, false), new Expr.CtSet(CtKey.MARK, R1));
  }

  /** {@code ct mark vmap @chains}: jump to the balancing chain of the flow's backend count. */
  static List<Expr> dispatchByCount(String chains) {
    return List.of(new Expr.Ct(CtKey.MARK, R1), new Expr.Lookup(chains, R1, Register.VERDICT, false));
  }

  /** {@code dnat to A} (port unchanged). */
  static List<Expr> dnatTo(String address) {
    return List.of(new Expr.Immediate(R1, Datum.ipv4(address)), new Expr.Nat(NatType.DNAT, R1, 0, 0));
  }

  /** {@code snat to A}. */
  static List<Expr> snatTo(String address) {
    return List.of(new Expr.Immediate(R1, Datum.ipv4(address)), new Expr.Nat(NatType.SNAT, R1, 0, 0));
  }

  /** {@code dnat to meta mark . numgen inc mod N map @backends}: the address from the map, the port kept. */
  static List<Expr> roundRobinDnat(String backends, int n) {
    return List.of(new Expr.Meta(MetaKey.MARK, R1), new Expr.Numgen(Register.reg32(1), n, NumgenType.INCREMENTAL, 0),
        new Expr.Lookup(backends, R1, R1, false), new Expr.Nat(NatType.DNAT, R1, 0, 0));
  }

  /**
   * {@code dnat to meta mark . meta l4proto . th dport . numgen inc mod N map @backends}: address
   * and port from the map (its value is address . port, in registers 1 and 9).
   */
  static List<Expr> roundRobinDnatToPort(String backends, int n) {
    return List.of(new Expr.Meta(MetaKey.MARK, R1), new Expr.Meta(MetaKey.L4PROTO, Register.reg32(1)),
        new Expr.Payload(PayloadBase.TRANSPORT, 2, 2, Register.reg32(2)),
        new Expr.Numgen(Register.reg32(3), n, NumgenType.INCREMENTAL, 0),
        new Expr.Lookup(backends, R1, R1, false), new Expr.Nat(NatType.DNAT, R1, Register.reg32(1), 0));
  }

  /** {@code dnat to meta l4proto . th dport map @ports}: address and port from the map. */
  static List<Expr> dnatByProtocolAndPort(String ports) {
    return List.of(new Expr.Meta(MetaKey.L4PROTO, R1), new Expr.Payload(PayloadBase.TRANSPORT, 2, 2, Register.reg32(1)),
        new Expr.Lookup(ports, R1, R1, false), new Expr.Nat(NatType.DNAT, R1, Register.reg32(1), 0));
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
