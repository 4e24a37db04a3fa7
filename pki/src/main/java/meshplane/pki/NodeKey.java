package meshplane.pki;

import java.security.KeyPair;
import java.security.PrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * A node's own key (made on the node, never sent) and its certificate signing request. The CSR's
 * subject is a placeholder: the CA writes the identity (node id, role, cluster) itself, as
 * SwarmKit's does, so a node cannot ask for another's name or a role it was not given.
 */
public final class NodeKey {
  private final KeyPair pair;

  private NodeKey(KeyPair pair) {
    this.pair = pair;
  }

  /** A new ECDSA P-256 key. */
  public static NodeKey generate() {
    return new NodeKey(Keys.p256());
  }

  public PrivateKey privateKey() {
    return pair.getPrivate();
  }

  public java.security.PublicKey publicKey() {
    return pair.getPublic();
  }

  /** A CSR for this key, signed with it (the CA checks that signature: proof of possession). */
  public PKCS10CertificationRequest csr() {
    try {
      return new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=meshplane-node"), pair.getPublic())
          .build(new JcaContentSignerBuilder(Keys.SIGNATURE).build(pair.getPrivate()));
    } catch (OperatorCreationException e) {
      throw new IllegalStateException("cannot sign a CSR with ECDSA P-256: " + e.getMessage(), e);
    }
  }

  /** The private key as PKCS#8 PEM, for the node's key file (mode 0600). */
  public String privateKeyPem() {
    return Pem.write(pair.getPrivate());
  }
}
