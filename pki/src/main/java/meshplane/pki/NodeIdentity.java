package meshplane.pki;

import java.security.cert.X509Certificate;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * Who a certificate speaks for: node id (CN), role (OU) and cluster id (O), as the cluster CA
 * wrote them. Read from the certificate alone; that the certificate is the CA's is the TLS
 * handshake's (or {@link ClusterCa#verify}'s) to say.
 */
public record NodeIdentity(String nodeId, CertRole role, String clusterId) {
  /** Swarm's ids: 25 characters of [0-9a-z]. */
  private static final Pattern ID = Pattern.compile("[0-9a-z]{1,64}");

  public NodeIdentity {
    checkId("node id", nodeId);
    checkId("cluster id", clusterId);
    if (role == null) {
      throw new IllegalArgumentException("role is required");
    }
  }

  private static void checkId(String field, String value) {
    if (value == null || !ID.matcher(value).matches()) {
      throw new IllegalArgumentException(field + " \"" + value + "\" must be 1 to 64 characters of [0-9a-z]");
    }
  }

  /** The subject the CA writes: {@code O=<cluster>, OU=<role>, CN=<node>}. */
  X500Name subject() {
    return new X500Name(new RDN[] {
        new RDN(BCStyle.O, new DERUTF8String(clusterId)),
        new RDN(BCStyle.OU, new DERUTF8String(role.ou())),
        new RDN(BCStyle.CN, new DERUTF8String(nodeId))});
  }

  /** The identity a certificate's subject names; a subject without exactly one CN, OU and O is an error. */
  public static NodeIdentity of(X509Certificate cert) {
    X500Name name = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
    return new NodeIdentity(one(name, BCStyle.CN, "CN"), CertRole.ofOu(one(name, BCStyle.OU, "OU")),
        one(name, BCStyle.O, "O"));
  }

  private static String one(X500Name name, ASN1ObjectIdentifier type, String label) {
    RDN[] rdns = name.getRDNs(type);
    if (rdns.length != 1) {
      throw new IllegalArgumentException("certificate subject \"" + name + "\" has " + rdns.length + " " + label
          + " (one expected)");
    }
    return IETFUtils.valueToString(rdns[0].getFirst().getValue());
  }
}
