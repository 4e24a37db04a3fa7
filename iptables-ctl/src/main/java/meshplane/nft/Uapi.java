package meshplane.nft;

/**
 * The nf_tables constants of {@code <linux/netfilter/nf_tables.h>} this library speaks, with the
 * kernel's names. Every u32 attribute of nf_tables travels in network byte order (big endian);
 * strings are NUL-terminated; nested attributes carry NLA_F_NESTED.
 */
final class Uapi {
  private Uapi() {}

  /** {@code enum nf_tables_msg_types}; the netlink type is {@code NFNL_SUBSYS_NFTABLES << 8 | msg}. */
  static final class Msg {
    static final int NEWTABLE = 0;
    static final int GETTABLE = 1;
    static final int DELTABLE = 2;
    static final int NEWCHAIN = 3;
    static final int GETCHAIN = 4;
    static final int DELCHAIN = 5;
    static final int NEWRULE = 6;
    static final int GETRULE = 7;
    static final int DELRULE = 8;
    static final int NEWSET = 9;
    static final int GETSET = 10;
    static final int DELSET = 11;
    static final int NEWSETELEM = 12;
    static final int GETSETELEM = 13;
    static final int DELSETELEM = 14;
    static final int NEWGEN = 15;
    static final int GETGEN = 16;
    /** NFTA_GEN_ID in NEWGEN: the ruleset generation. */
    static final int GEN_ID = 1;

    private Msg() {}
  }

  /** NFTA_TABLE_*. */
  static final class Table {
    static final int NAME = 1;
    static final int FLAGS = 2;

    private Table() {}
  }

  /** NFTA_CHAIN_* and, nested in HOOK, NFTA_HOOK_*. */
  static final class Chain {
    static final int TABLE = 1;
    static final int NAME = 3;
    static final int HOOK = 4;
    static final int POLICY = 5;
    static final int TYPE = 7;
    static final int HOOK_HOOKNUM = 1;
    static final int HOOK_PRIORITY = 2;

    private Chain() {}
  }

  /** NFTA_RULE_*, and the NFTA_LIST_ELEM / NFTA_EXPR_* framing of its expressions. */
  static final class Rule {
    static final int TABLE = 1;
    static final int CHAIN = 2;
    static final int EXPRESSIONS = 4;
    static final int USERDATA = 7;
    static final int LIST_ELEM = 1;
    static final int EXPR_NAME = 1;
    static final int EXPR_DATA = 2;
    /** nftables' udata TLV type of a rule comment (NFTNL_UDATA_RULE_COMMENT). */
    static final int UDATA_COMMENT = 0;

    private Rule() {}
  }

  /** NFTA_SET_*. */
  static final class Set {
    static final int TABLE = 1;
    static final int NAME = 2;
    static final int FLAGS = 3;
    static final int KEY_TYPE = 4;
    static final int KEY_LEN = 5;
    static final int DATA_TYPE = 6;
    static final int DATA_LEN = 7;
    static final int ID = 10;
    static final int USERDATA = 13;

    private Set() {}
  }

  /** NFTA_SET_ELEM_LIST_* and NFTA_SET_ELEM_*. */
  static final class Elem {
    static final int LIST_TABLE = 1;
    static final int LIST_SET = 2;
    static final int LIST_ELEMENTS = 3;
    static final int LIST_SET_ID = 4;
    static final int KEY = 1;
    static final int DATA = 2;
    /** NFTA_SET_ELEM_USERDATA: libnftnl udata TLVs, type 0 (NFTNL_UDATA_SET_ELEM_COMMENT) the comment. */
    static final int USERDATA = 6;

    private Elem() {}
  }

  /** NFTA_DATA_* and NFTA_VERDICT_*. */
  static final class Data {
    static final int VALUE = 1;
    static final int VERDICT = 2;
    static final int VERDICT_CODE = 1;
    static final int VERDICT_CHAIN = 2;
    /** NFT_DATA_VERDICT: the data type of a verdict map. */
    static final int TYPE_VERDICT = 0xffffff00;

    private Data() {}
  }

  /** The attributes of each expression kind: NFTA_PAYLOAD_*, NFTA_META_*, ... */
  static final class ExprAttr {
    static final int PAYLOAD_DREG = 1;
    static final int PAYLOAD_BASE = 2;
    static final int PAYLOAD_OFFSET = 3;
    static final int PAYLOAD_LEN = 4;
    static final int PAYLOAD_SREG = 5;
    static final int META_DREG = 1;
    static final int META_KEY = 2;
    static final int META_SREG = 3;
    static final int CMP_SREG = 1;
    static final int CMP_OP = 2;
    static final int CMP_DATA = 3;
    static final int IMMEDIATE_DREG = 1;
    static final int IMMEDIATE_DATA = 2;
    static final int BITWISE_SREG = 1;
    static final int BITWISE_DREG = 2;
    static final int BITWISE_LEN = 3;
    static final int BITWISE_MASK = 4;
    static final int BITWISE_XOR = 5;
    static final int BITWISE_OP = 6;
    static final int CT_DREG = 1;
    static final int CT_KEY = 2;
    static final int CT_DIRECTION = 3;
    static final int CT_SREG = 4;
    static final int NAT_TYPE = 1;
    static final int NAT_FAMILY = 2;
    static final int NAT_REG_ADDR_MIN = 3;
    static final int NAT_REG_ADDR_MAX = 4;
    static final int NAT_REG_PROTO_MIN = 5;
    static final int NAT_REG_PROTO_MAX = 6;
    static final int NAT_FLAGS = 7;
    static final int MASQ_FLAGS = 1;
    static final int MASQ_REG_PROTO_MIN = 2;
    static final int NUMGEN_DREG = 1;
    static final int NUMGEN_MODULUS = 2;
    static final int NUMGEN_TYPE = 3;
    static final int NUMGEN_OFFSET = 4;
    static final int LOOKUP_SET = 1;
    static final int LOOKUP_SREG = 2;
    static final int LOOKUP_DREG = 3;
    static final int LOOKUP_SET_ID = 4;
    static final int LOOKUP_FLAGS = 5;
    static final int FIB_DREG = 1;
    static final int FIB_RESULT = 2;
    static final int FIB_FLAGS = 3;
    /** NFT_LOOKUP_F_INV. */
    static final int LOOKUP_F_INV = 1;
    /** NF_NAT_RANGE_MAP_IPS and NF_NAT_RANGE_PROTO_SPECIFIED (linux/netfilter/nf_nat.h). */
    static final int NAT_RANGE_MAP_IPS = 1;
    static final int NAT_RANGE_PROTO_SPECIFIED = 2;

    private ExprAttr() {}
  }

  /** NF_ACCEPT: the policy of every base chain meshplane makes. */
  static final int NF_ACCEPT = 1;
}
