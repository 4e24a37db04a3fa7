package meshplane.nft;

import static meshplane.nft.Uapi.ExprAttr.*;

import meshplane.netlink.Attribute;
import meshplane.netlink.Attributes;

/**
 * Reads one NFTA_LIST_ELEM of a dumped rule back into an {@link Expr}, normalised so that it
 * equals the expression that was written: the kernel's additions (a nat's NF_NAT_RANGE_MAP_IPS
 * and PROTO_SPECIFIED flags and its ADDR_MAX / PROTO_MAX registers, a lookup's FLAGS 0, a
 * counter's packets and bytes) are dropped. What the model cannot hold (an unknown expression, a
 * payload write, a ct key with a direction, a nat range) is an error naming it, never skipped.
 */
final class ExprDecoder {
  private ExprDecoder() {}

  static Expr read(Attribute listElem) {
    Attributes e = listElem.nestedAttributes();
    String name = e.string(Uapi.Rule.EXPR_NAME)
        .orElseThrow(() -> new IllegalStateException("expression without NFTA_EXPR_NAME"));
    Attributes d = e.nested(Uapi.Rule.EXPR_DATA).orElse(Attributes.parse(java.nio.ByteBuffer.allocate(0)));
    return switch (name) {
      case "payload" -> {
        unsupportedIf(d.has(PAYLOAD_SREG), name, "payload writes");
        yield new Expr.Payload(PayloadBase.of(be(d, PAYLOAD_BASE, name)), be(d, PAYLOAD_OFFSET, name),
            be(d, PAYLOAD_LEN, name), be(d, PAYLOAD_DREG, name));
      }
      case "meta" -> d.has(META_SREG)
          ? new Expr.MetaSet(MetaKey.of(be(d, META_KEY, name)), be(d, META_SREG, name))
          : new Expr.Meta(MetaKey.of(be(d, META_KEY, name)), be(d, META_DREG, name));
      case "cmp" -> new Expr.Cmp(CmpOp.of(be(d, CMP_OP, name)), be(d, CMP_SREG, name),
          NftData.readValue(need(d, CMP_DATA, name)));
      case "immediate" -> {
        Attribute data = need(d, IMMEDIATE_DATA, name);
        yield NftData.isVerdict(data)
            ? new Expr.VerdictExpr(NftData.readVerdict(data))
            : new Expr.Immediate(be(d, IMMEDIATE_DREG, name), NftData.readValue(data));
      }
      case "bitwise" -> {
        unsupportedIf(d.get(BITWISE_OP).map(Attribute::be32).orElse(0) != 0, name, "shifts");
        yield new Expr.Bitwise(be(d, BITWISE_SREG, name), be(d, BITWISE_DREG, name), be(d, BITWISE_LEN, name),
            NftData.readValue(need(d, BITWISE_MASK, name)), NftData.readValue(need(d, BITWISE_XOR, name)));
      }
      case "ct" -> {
        unsupportedIf(d.has(CT_DIRECTION), name, "a direction (original/reply)");
        yield d.has(CT_SREG)
            ? new Expr.CtSet(CtKey.of(be(d, CT_KEY, name)), be(d, CT_SREG, name))
            : new Expr.Ct(CtKey.of(be(d, CT_KEY, name)), be(d, CT_DREG, name));
      }
      case "nat" -> readNat(d);
      case "masq" -> {
        unsupportedIf(d.has(MASQ_REG_PROTO_MIN), name, "a port range");
        yield new Expr.Masq(d.get(MASQ_FLAGS).map(Attribute::be32).orElse(0));
      }
      case "numgen" -> new Expr.Numgen(be(d, NUMGEN_DREG, name), be(d, NUMGEN_MODULUS, name),
          NumgenType.of(be(d, NUMGEN_TYPE, name)), d.get(NUMGEN_OFFSET).map(Attribute::be32).orElse(0));
      case "lookup" -> new Expr.Lookup(d.string(LOOKUP_SET).orElseThrow(() -> missing(name, LOOKUP_SET)),
          be(d, LOOKUP_SREG, name), d.get(LOOKUP_DREG).map(Attribute::be32).orElse(0),
          (d.get(LOOKUP_FLAGS).map(Attribute::be32).orElse(0) & LOOKUP_F_INV) != 0);
      case "fib" -> new Expr.Fib(be(d, FIB_RESULT, name), be(d, FIB_FLAGS, name), be(d, FIB_DREG, name));
      case "counter" -> new Expr.Counter();
      case "notrack" -> new Expr.Notrack();
      default -> throw new IllegalStateException("expression \"" + name + "\" is not in meshplane's model");
    };
  }

  private static Expr.Nat readNat(Attributes d) {
    int addr = d.get(NAT_REG_ADDR_MIN).map(Attribute::be32).orElse(0);
    int proto = d.get(NAT_REG_PROTO_MIN).map(Attribute::be32).orElse(0);
    unsupportedIf(d.get(NAT_REG_ADDR_MAX).map(Attribute::be32).orElse(addr) != addr, "nat", "an address range");
    unsupportedIf(d.get(NAT_REG_PROTO_MAX).map(Attribute::be32).orElse(proto) != proto, "nat", "a port range");
    int flags = d.get(NAT_FLAGS).map(Attribute::be32).orElse(0);
    if (addr != 0) {
      flags &= ~NAT_RANGE_MAP_IPS;
    }
    if (proto != 0) {
      flags &= ~NAT_RANGE_PROTO_SPECIFIED;
    }
    return new Expr.Nat(NatType.of(be(d, NAT_TYPE, "nat")), addr, proto, flags);
  }

  private static Attribute need(Attributes d, int type, String expr) {
    return d.get(type).orElseThrow(() -> missing(expr, type));
  }

  private static int be(Attributes d, int type, String expr) {
    return need(d, type, expr).be32();
  }

  private static IllegalStateException missing(String expr, int type) {
    return new IllegalStateException("expression \"" + expr + "\" lacks attribute " + type);
  }

  private static void unsupportedIf(boolean condition, String expr, String what) {
    if (condition) {
      throw new IllegalStateException("expression \"" + expr + "\" with " + what + " is not in meshplane's model");
    }
  }
}
