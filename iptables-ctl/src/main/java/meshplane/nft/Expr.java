package meshplane.nft;

/**
 * The nf_tables expressions meshplane's rules are made of, one record per kernel expression
 * ({@code NFTA_EXPR_NAME}). Registers are the kernel's numbering: 0 the verdict register,
 * 1-4 the 16-byte registers, 8-23 the 32-bit ones ({@link Register}). Values are as the kernel
 * holds them, so a rule read back from the kernel equals the one that was written.
 */
public sealed interface Expr {

  /** The kernel's expression name. */
  String name();

  /** {@code payload}: load {@code len} bytes at {@code offset} of header {@code base} into {@code dreg}. */
  record Payload(PayloadBase base, int offset, int len, int dreg) implements Expr {
    public String name() {
      return "payload";
    }
  }

  /** {@code meta} load: meta key ({@link MetaKey}) into {@code dreg}. */
  record Meta(MetaKey key, int dreg) implements Expr {
    public String name() {
      return "meta";
    }
  }

  /** {@code meta} set: write {@code sreg} into meta key (e.g. {@code meta mark set ...}). */
  record MetaSet(MetaKey key, int sreg) implements Expr {
    public String name() {
      return "meta";
    }
  }

  /** {@code cmp}: compare {@code sreg} with {@code data}; a false comparison ends the rule. */
  record Cmp(CmpOp op, int sreg, Datum data) implements Expr {
    public String name() {
      return "cmp";
    }
  }

  /** {@code immediate}: load {@code data} into {@code dreg}. */
  record Immediate(int dreg, Datum data) implements Expr {
    public String name() {
      return "immediate";
    }
  }

  /** {@code immediate} into the verdict register: accept, drop, jump, goto, return. */
  record VerdictExpr(Verdict verdict) implements Expr {
    public String name() {
      return "immediate";
    }
  }

  /** {@code bitwise}: {@code dreg = (sreg & mask) ^ xor} over {@code len} bytes. */
  record Bitwise(int sreg, int dreg, int len, Datum mask, Datum xor) implements Expr {
    public String name() {
      return "bitwise";
    }
  }

  /** {@code ct} load: conntrack key ({@link CtKey}) into {@code dreg}. */
  record Ct(CtKey key, int dreg) implements Expr {
    public String name() {
      return "ct";
    }
  }

  /** {@code ct} set: write {@code sreg} into a conntrack key ({@code ct mark set ...}). */
  record CtSet(CtKey key, int sreg) implements Expr {
    public String name() {
      return "ct";
    }
  }

  /**
   * {@code nat}: source or destination NAT to the IPv4 address in {@code regAddr} and, when
   * {@code regProto} is not 0, the port in {@code regProto}. {@code flags} are NF_NAT_RANGE_*.
   */
  record Nat(NatType type, int regAddr, int regProto, int flags) implements Expr {
    public String name() {
      return "nat";
    }
  }

  /** {@code masq}: source NAT to the outgoing interface's address. */
  record Masq(int flags) implements Expr {
    public String name() {
      return "masq";
    }
  }

  /** {@code numgen}: {@code dreg = counter mod modulus + offset}, incrementing or random. */
  record Numgen(int dreg, int modulus, NumgenType type, int offset) implements Expr {
    public String name() {
      return "numgen";
    }
  }

  /**
   * {@code lookup}: look {@code sreg} up in the named set of this table; for a map, the value
   * goes to {@code dreg} (0 for a plain set; {@link Register#VERDICT} for a verdict map).
   * {@code invert} matches when the key is absent.
   */
  record Lookup(String set, int sreg, int dreg, boolean invert) implements Expr {
    public String name() {
      return "lookup";
    }
  }

  /**
   * {@code fib}: look the packet up in the routing tables and load {@code result} into
   * {@code dreg}; {@code flags} say which address is looked up ({@link #FIB_DADDR} ...). With
   * {@link #FIB_RESULT_ADDRTYPE} the result is the address's route type (RTN_LOCAL = 2 is an
   * address of this namespace): {@code fib daddr type local} is this, then a cmp with 2.
   */
  record Fib(int result, int flags, int dreg) implements Expr {
    /** NFT_FIB_RESULT_ADDRTYPE: the route type of the address (enum rtn_type). */
    public static final int FIB_RESULT_ADDRTYPE = 3;
    /** NFTA_FIB_F_SADDR: look up the source address. */
    public static final int FIB_SADDR = 1;
    /** NFTA_FIB_F_DADDR: look up the destination address. */
    public static final int FIB_DADDR = 2;
    /** RTN_LOCAL: an address of this namespace (the kernel's route type, host order). */
    public static final int RTN_LOCAL = 2;

    public String name() {
      return "fib";
    }
  }

  /** {@code notrack}: the packet skips connection tracking (a raw-priority chain, before conntrack). */
  record Notrack() implements Expr {
    public String name() {
      return "notrack";
    }
  }

  /** {@code counter}. Its values are state, not configuration: they never make rules differ. */
  record Counter() implements Expr {
    public String name() {
      return "counter";
    }
  }
}
