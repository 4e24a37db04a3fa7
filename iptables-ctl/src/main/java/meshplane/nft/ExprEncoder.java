package meshplane.nft;

import static meshplane.nft.Uapi.ExprAttr.*;

import meshplane.netlink.MessageBuilder;

/**
 * Writes one expression as the kernel expects it inside NFTA_RULE_EXPRESSIONS:
 *
 * <pre>
 * NFTA_LIST_ELEM { NFTA_EXPR_NAME "payload", NFTA_EXPR_DATA { NFTA_PAYLOAD_DREG be32, ... } }
 * </pre>
 *
 * Attributes are written in the order nft 1.0.6 writes them, so the bytes match nft's (the unit
 * tests hold the capture). What nft leaves out the kernel defaults: a nat's ADDR_MAX and
 * PROTO_MAX (= the MIN registers), a lookup's FLAGS (not inverted), a bitwise's OP (boolean).
 */
final class ExprEncoder {
  private ExprEncoder() {}

  static void write(MessageBuilder m, Expr expr, SetRefs sets) {
    int elem = m.beginNested(Uapi.Rule.LIST_ELEM);
    m.attrString(Uapi.Rule.EXPR_NAME, expr.name());
    int data = m.beginNested(Uapi.Rule.EXPR_DATA);
    if (expr instanceof Expr.Payload p) {
      m.attrBe32(PAYLOAD_DREG, p.dreg());
      m.attrBe32(PAYLOAD_BASE, p.base().code());
      m.attrBe32(PAYLOAD_OFFSET, p.offset());
      m.attrBe32(PAYLOAD_LEN, p.len());
    } else if (expr instanceof Expr.Meta meta) {
      m.attrBe32(META_KEY, meta.key().code());
      m.attrBe32(META_DREG, meta.dreg());
    } else if (expr instanceof Expr.MetaSet meta) {
      m.attrBe32(META_KEY, meta.key().code());
      m.attrBe32(META_SREG, meta.sreg());
    } else if (expr instanceof Expr.Cmp c) {
      m.attrBe32(CMP_SREG, c.sreg());
      m.attrBe32(CMP_OP, c.op().code());
      NftData.writeValue(m, CMP_DATA, c.data());
    } else if (expr instanceof Expr.Immediate i) {
      m.attrBe32(IMMEDIATE_DREG, i.dreg());
      NftData.writeValue(m, IMMEDIATE_DATA, i.data());
    } else if (expr instanceof Expr.VerdictExpr v) {
      m.attrBe32(IMMEDIATE_DREG, Register.VERDICT);
      NftData.writeVerdict(m, IMMEDIATE_DATA, v.verdict());
    } else if (expr instanceof Expr.Bitwise b) {
      m.attrBe32(BITWISE_SREG, b.sreg());
      m.attrBe32(BITWISE_DREG, b.dreg());
      m.attrBe32(BITWISE_LEN, b.len());
      NftData.writeValue(m, BITWISE_MASK, b.mask());
      NftData.writeValue(m, BITWISE_XOR, b.xor());
    } else if (expr instanceof Expr.Ct ct) {
      m.attrBe32(CT_KEY, ct.key().code());
      m.attrBe32(CT_DREG, ct.dreg());
    } else if (expr instanceof Expr.CtSet ct) {
      m.attrBe32(CT_KEY, ct.key().code());
      m.attrBe32(CT_SREG, ct.sreg());
    } else if (expr instanceof Expr.Nat n) {
      writeNat(m, n);
    } else if (expr instanceof Expr.Masq q) {
      if (q.flags() != 0) {
        m.attrBe32(MASQ_FLAGS, q.flags());
      }
    } else if (expr instanceof Expr.Numgen g) {
      m.attrBe32(NUMGEN_DREG, g.dreg());
      m.attrBe32(NUMGEN_MODULUS, g.modulus());
      m.attrBe32(NUMGEN_TYPE, g.type().code());
      m.attrBe32(NUMGEN_OFFSET, g.offset());
    } else if (expr instanceof Expr.Lookup l) {
      writeLookup(m, l, sets);
    } else if (expr instanceof Expr.Fib f) {
      m.attrBe32(FIB_FLAGS, f.flags());
      m.attrBe32(FIB_RESULT, f.result());
      m.attrBe32(FIB_DREG, f.dreg());
    } else if (expr instanceof Expr.Counter c) {
      // no attributes: the kernel starts the counter at zero
    } else if (expr instanceof Expr.Notrack n) {
      // no attributes
    }
    m.endNested(data);
    m.endNested(elem);
  }

  /**
   * NFTA_NAT_FAMILY is always NFPROTO_IPV4 (meshplane NATs IPv4). The kernel adds
   * NF_NAT_RANGE_MAP_IPS itself when an address register is given; nft sends
   * NF_NAT_RANGE_PROTO_SPECIFIED with a port register, and so do we.
   */
  private static void writeNat(MessageBuilder m, Expr.Nat n) {
    m.attrBe32(NAT_TYPE, n.type().code());
    m.attrBe32(NAT_FAMILY, meshplane.netlink.nfnl.Nfnetlink.NFPROTO_IPV4);
    if (n.regAddr() != 0) {
      m.attrBe32(NAT_REG_ADDR_MIN, n.regAddr());
    }
    if (n.regProto() != 0) {
      m.attrBe32(NAT_REG_PROTO_MIN, n.regProto());
    }
    int flags = n.flags() | (n.regProto() != 0 ? NAT_RANGE_PROTO_SPECIFIED : 0);
    if (flags != 0) {
      m.attrBe32(NAT_FLAGS, flags);
    }
  }

  private static void writeLookup(MessageBuilder m, Expr.Lookup l, SetRefs sets) {
    m.attrBe32(LOOKUP_SREG, l.sreg());
    if (l.dreg() != 0 || sets.isVerdictMap(l.set())) {
      m.attrBe32(LOOKUP_DREG, l.dreg());
    }
    m.attrString(LOOKUP_SET, l.set());
    int id = sets.batchId(l.set());
    if (id != 0) {
      m.attrBe32(LOOKUP_SET_ID, id);
    }
    if (l.invert()) {
      m.attrBe32(LOOKUP_FLAGS, LOOKUP_F_INV);
    }
  }
}
