package meshplane.nft;

import meshplane.netlink.Attribute;
import meshplane.netlink.Attributes;
import meshplane.netlink.MessageBuilder;

/**
 * {@code struct nft_data} on the wire: an attribute (a cmp operand, a set key, a map value)
 * holding either NFTA_DATA_VALUE (raw bytes) or NFTA_DATA_VERDICT{NFTA_VERDICT_CODE (be32,
 * signed), NFTA_VERDICT_CHAIN (jump and goto only)}.
 */
final class NftData {
  private NftData() {}

  static void writeValue(MessageBuilder m, int attr, Datum value) {
    int outer = m.beginNested(attr);
    m.attr(Uapi.Data.VALUE, value.bytes());
    m.endNested(outer);
  }

  static void writeVerdict(MessageBuilder m, int attr, Verdict verdict) {
    int outer = m.beginNested(attr);
    int inner = m.beginNested(Uapi.Data.VERDICT);
    m.attrBe32(Uapi.Data.VERDICT_CODE, verdict.code());
    if (verdict.chain() != null) {
      m.attrString(Uapi.Data.VERDICT_CHAIN, verdict.chain());
    }
    m.endNested(inner);
    m.endNested(outer);
  }

  static boolean isVerdict(Attribute a) {
    return a.nestedAttributes().has(Uapi.Data.VERDICT);
  }

  static Datum readValue(Attribute a) {
    Attribute v = a.nestedAttributes().get(Uapi.Data.VALUE)
        .orElseThrow(() -> new IllegalStateException("nft_data attribute " + a.type() + " holds no NFTA_DATA_VALUE"));
    return Datum.of(v.bytes());
  }

  static Verdict readVerdict(Attribute a) {
    Attributes v = a.nestedAttributes().nested(Uapi.Data.VERDICT)
        .orElseThrow(() -> new IllegalStateException("nft_data attribute " + a.type() + " holds no NFTA_DATA_VERDICT"));
    int code = v.get(Uapi.Data.VERDICT_CODE).orElseThrow().be32();
    return new Verdict(code, v.string(Uapi.Data.VERDICT_CHAIN).orElse(null));
  }
}
