package meshplane.nft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import meshplane.netlink.Message;
import meshplane.netlink.nfnl.Nfnetlink;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The batch meshplane encodes for {@link SampleTable} against the bytes nft 1.0.6 sent for the
 * same table ({@code golden.nft}), captured in a scratch namespace with
 *
 * <pre>
 * unshare -n strace -f -e trace=sendmsg -e write=all -s 0 nft -f golden.nft
 * </pre>
 *
 * ({@code golden.strace} holds strace's hex columns of the one sendmsg). Messages are compared one
 * by one with sequence number and port id zeroed. Where nft differs on purpose: nft asks for no
 * ACK at all (it polls the socket after sendmsg), meshplane sets NLM_F_ACK on the last message;
 * NFTA_SET_USERDATA of NEWSET is left out of the comparison: it is nft's own blob (byte-order
 * hints and typeof expressions for printing) that the kernel stores but never reads; meshplane
 * sends only the byte-order hints ({@link SetUserdata}).
 */
@Tag("unit")
class GoldenBatchTest {
  private static final int NLM_F_ACK = 0x4;
  private static final int NFTA_SET_USERDATA = 13;

  static List<byte[]> nftMessages() throws IOException {
    ByteBuffer all = ByteBuffer.allocate(1 << 16);
    try (InputStream in = GoldenBatchTest.class.getResourceAsStream("golden.strace")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
        // " | 00000  14 00 00 00 10 00 01 00  00 00 00 00 00 00 00 00  ................ |"
        String hex = line.substring(10, Math.min(line.length(), 59)).replace(" ", "");
        all.put(HexFormat.of().parseHex(hex));
      }
    }
    all.flip();
    List<byte[]> out = new ArrayList<>();
    ByteBuffer b = all.order(ByteOrder.LITTLE_ENDIAN);
    while (b.remaining() >= 16) {
      int len = b.getInt(b.position());
      byte[] m = new byte[len];
      b.get(m);
      b.position(Math.min(b.limit(), b.position() + ((len + 3) & ~3) - len));
      out.add(m);
    }
    return out;
  }

  static Message parse(byte[] msg) {
    return Message.split(ByteBuffer.wrap(msg).order(ByteOrder.nativeOrder())).get(0);
  }

  private static byte[] normalised(byte[] msg, boolean dropAck) {
    byte[] c = msg.clone();
    ByteBuffer b = ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(8, 0).putInt(12, 0);
    if (dropAck) {
      b.putShort(6, (short) (b.getShort(6) & ~NLM_F_ACK));
    }
    return c;
  }

  /** The message without its top-level attribute {@code type} (nlmsg_len fixed up). */
  private static byte[] without(byte[] msg, int type) {
    ByteBuffer b = ByteBuffer.wrap(msg).order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer out = ByteBuffer.allocate(msg.length).order(ByteOrder.LITTLE_ENDIAN);
    out.put(msg, 0, 20);
    int pos = 20;
    while (pos + 4 <= msg.length) {
      int len = b.getShort(pos) & 0xffff;
      int padded = Math.min((len + 3) & ~3, msg.length - pos);
      if ((b.getShort(pos + 2) & 0x3fff) != type) {
        out.put(msg, pos, padded);
      }
      pos += padded;
    }
    out.putInt(0, out.position());
    return Arrays.copyOf(out.array(), out.position());
  }

  @Test
  void batchMatchesNftMessageByMessage() throws IOException {
    List<byte[]> nft = nftMessages();
    BatchEncoder.Batch ours = new BatchEncoder(NftFamily.IP, SampleTable.NAME, s -> false)
        .encode(SampleTable.nftOrder(), -1);
    assertEquals(nft.size(), ours.messages().size(), "messages in the batch");
    for (int i = 0; i < nft.size(); i++) {
      byte[] expected = nft.get(i);
      int type = parse(expected).type();
      if (type == Nfnetlink.type(Nfnetlink.NFNL_SUBSYS_NFTABLES, Uapi.Msg.NEWSET)) {
        expected = without(expected, NFTA_SET_USERDATA);
      }
      byte[] actual = ours.messages().get(i).build(0, 0);
      if (type == Nfnetlink.type(Nfnetlink.NFNL_SUBSYS_NFTABLES, Uapi.Msg.NEWSET)) {
        actual = without(actual, NFTA_SET_USERDATA);
      }
      assertBytes(normalised(expected, false), normalised(actual, true), "message " + i + " (type " + type + ")");
    }
  }

  @Test
  void nftRuleMessagesDecodeToTheSampleRules() throws IOException {
    List<byte[]> nft = nftMessages();
    List<RuleSpec> rules = new ArrayList<>();
    List<ChainSpec> chains = new ArrayList<>();
    List<SetSpec> sets = new ArrayList<>();
    List<List<SetElement>> elements = new ArrayList<>();
    for (byte[] b : nft) {
      Message m = parse(b);
      if (Nfnetlink.subsystem(m.type()) != Nfnetlink.NFNL_SUBSYS_NFTABLES) {
        continue;
      }
      switch (Nfnetlink.message(m.type())) {
        case Uapi.Msg.NEWRULE -> rules.add(DumpDecoder.rule(m));
        case Uapi.Msg.NEWCHAIN -> chains.add(DumpDecoder.chain(m));
        case Uapi.Msg.NEWSET -> sets.add(DumpDecoder.set(m));
        case Uapi.Msg.NEWSETELEM -> elements.add(DumpDecoder.elements(m));
        default -> { }
      }
    }
    TableSpec t = SampleTable.table();
    assertEquals(t.rules(), rules);
    assertEquals(t.chains(), chains);
    // nft sends a verdict map's data length as 0; the kernel reports 16 (KeyType.VERDICT)
    assertEquals(new KeyType(KeyType.VERDICT.id(), 0), sets.get(2).data());
    assertEquals(t.sets().subList(0, 2).stream().map(SampleTable::bare).toList(), sets.subList(0, 2));
    assertEquals(t.sets().stream().map(SetSpec::elements).toList(), elements);
  }

  static void assertBytes(byte[] expected, byte[] actual, String what) {
    if (!Arrays.equals(expected, actual)) {
      StringBuilder sb = new StringBuilder(what + ": bytes differ\n");
      for (int r = 0; r < Math.max(expected.length, actual.length); r += 16) {
        String e = hexRow(expected, r);
        String a = hexRow(actual, r);
        sb.append(String.format("%04x %s %-48s %s%n", r, e.equals(a) ? ' ' : '*', e, a));
      }
      fail(sb.toString());
    }
  }

  private static String hexRow(byte[] b, int from) {
    StringBuilder sb = new StringBuilder();
    for (int i = from; i < Math.min(b.length, from + 16); i++) {
      sb.append(String.format("%02x ", b[i] & 0xff));
    }
    return sb.toString();
  }

}
