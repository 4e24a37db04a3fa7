package meshplane.nft;

import java.nio.charset.StandardCharsets;

/**
 * A rule's id as nftables stores a rule comment in NFTA_RULE_USERDATA: a list of TLVs
 * (libnftnl's udata: u8 type, u8 length, value), the comment being type 0
 * (NFTNL_UDATA_RULE_COMMENT) with a NUL-terminated string. So {@code nft list} shows the id as
 * {@code comment "..."} and a rule's id survives a read back.
 */
final class RuleComment {
  /** nftables refuses comments over 128 bytes (NFT_USERDATA_MAXLEN 256 bounds the whole TLV list). */
  static final int MAX_LENGTH = 127;

  private RuleComment() {}

  static byte[] encode(String id) {
    byte[] s = id.getBytes(StandardCharsets.UTF_8);
    if (s.length > MAX_LENGTH || id.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("rule id must be 1-" + MAX_LENGTH + " bytes without NUL: " + id);
    }
    byte[] tlv = new byte[2 + s.length + 1];
    tlv[0] = (byte) Uapi.Rule.UDATA_COMMENT;
    tlv[1] = (byte) (s.length + 1);
    System.arraycopy(s, 0, tlv, 2, s.length);
    return tlv;
  }

  /** The comment in a USERDATA blob, or null when it holds none. */
  static String decode(byte[] udata) {
    int pos = 0;
    while (pos + 2 <= udata.length) {
      int type = udata[pos] & 0xff;
      int len = udata[pos + 1] & 0xff;
      if (pos + 2 + len > udata.length) {
        throw new IllegalStateException("rule userdata TLV of " + len + " bytes overruns " + udata.length);
      }
      if (type == Uapi.Rule.UDATA_COMMENT) {
        int n = len;
        while (n > 0 && udata[pos + 2 + n - 1] == 0) {
          n--;
        }
        return new String(udata, pos + 2, n, StandardCharsets.UTF_8);
      }
      pos += 2 + len;
    }
    return null;
  }
}
