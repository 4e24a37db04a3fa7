package meshplane.pki;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;

/**
 * The cluster's root CA: an ECDSA P-256 key and a self-signed certificate ({@code CN=swarm-ca},
 * 20 years, as SwarmKit's), held by managers only. It issues node certificates from CSRs, writing
 * the identity into the subject itself, with both TLS usages (a node is server and client), the
 * node id and role as DNS names, and a random 128-bit serial.
 */
public final class ClusterCa {
  /** The root's life, as SwarmKit's default. */
  public static final Duration ROOT_VALIDITY = Duration.ofDays(20 * 365);
  /** A node certificate's default life ({@code swarm init --cert-expiry}). */
  public static final Duration NODE_VALIDITY = Duration.ofDays(90);
  /** The shortest and longest node certificate life accepted. */
  public static final Duration MIN_NODE_VALIDITY = Duration.ofHours(1);
  /** Certificates start this much before now, for clocks slightly behind. */
  private static final Duration BACKDATE = Duration.ofMinutes(5);

  private final X509Certificate root;
  private final PrivateKey key;

  private ClusterCa(X509Certificate root, PrivateKey key) {
    this.root = root;
    this.key = key;
  }

  /** A new root for a new cluster ({@code CN=swarm-ca}). */
  public static ClusterCa create() {
    return create("swarm-ca");
  }

  /** A new root named {@code CN=commonName} (a rotation's new root has a name of its own). */
  public static ClusterCa create(String commonName) {
    KeyPair pair = Keys.p256();
    Instant now = Instant.now();
    X500Name name = new X500Name(new org.bouncycastle.asn1.x500.RDN[] {new org.bouncycastle.asn1.x500.RDN(
        org.bouncycastle.asn1.x500.style.BCStyle.CN, new org.bouncycastle.asn1.DERUTF8String(commonName))});
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(), Date.from(now.minus(BACKDATE)),
          Date.from(now.plus(ROOT_VALIDITY)), name, pair.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
      return new ClusterCa(sign(b, pair.getPrivate()), pair.getPrivate());
    } catch (CertIOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot build the root CA certificate: " + e.getMessage(), e);
    }
  }

  /** The CA from its PEM certificate and key (a manager's copy); the key must be the certificate's. */
  public static ClusterCa of(String certificatePem, String keyPem) {
    X509Certificate cert = Pem.certificate(certificatePem, "the root CA certificate");
    PrivateKey key = Pem.privateKey(keyPem, "the root CA key");
    try {
      byte[] probe = "meshplane root key check".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(Keys.SIGNATURE);
      signer.initSign(key);
      signer.update(probe);
      Signature verifier = Signature.getInstance(Keys.SIGNATURE);
      verifier.initVerify(cert.getPublicKey());
      verifier.update(probe);
      if (!verifier.verify(signer.sign())) {
        throw new IllegalArgumentException("the root CA key does not belong to the root CA certificate");
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("the root CA key does not belong to the root CA certificate", e);
    }
    return new ClusterCa(cert, key);
  }

  public X509Certificate root() {
    return root;
  }

  public String rootPem() {
    return Pem.write(root);
  }

  public String keyPem() {
    return Pem.write(key);
  }

  /**
   * A certificate for {@code who}, for the key in {@code csr}, valid for {@code validity} from
   * now (less a few minutes' backdating).
   *
   * @throws IllegalArgumentException when the CSR's signature does not verify with its own key
   *     (no proof of possession) or the validity is under {@link #MIN_NODE_VALIDITY}
   */
  public X509Certificate issue(PKCS10CertificationRequest csr, NodeIdentity who, Duration validity) {
    if (validity.compareTo(MIN_NODE_VALIDITY) < 0) {
      throw new IllegalArgumentException("certificate validity " + validity + " must be at least " + MIN_NODE_VALIDITY);
    }
    PublicKey subjectKey = verifiedKey(csr);
    Instant now = Instant.now();
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(root, serial(), Date.from(now.minus(BACKDATE)),
          Date.from(now.plus(validity)), who.subject(), subjectKey)
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
          .addExtension(Extension.extendedKeyUsage, false,
              new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
          .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
              new GeneralName(GeneralName.dNSName, who.role().ou()), new GeneralName(GeneralName.dNSName, who.nodeId())}))
          .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(root))
          .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(subjectKey));
      return sign(b, key);
    } catch (CertIOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot build the certificate of node " + who.nodeId() + ": " + e.getMessage(), e);
    }
  }

  /**
   * {@code newRoot} signed by this root: a CA certificate with the new root's name and key, so a
   * certificate the new root issues chains to this (old) root too, for nodes that trust only it
   * yet. Valid as long as both roots are.
   */
  public X509Certificate crossSign(X509Certificate newRoot) {
    Instant now = Instant.now();
    Instant until = root.getNotAfter().before(newRoot.getNotAfter()) ? root.getNotAfter().toInstant()
        : newRoot.getNotAfter().toInstant();
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(root, serial(), Date.from(now.minus(BACKDATE)),
          Date.from(until), newRoot.getSubjectX500Principal(), newRoot.getPublicKey())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(root))
          .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(newRoot.getPublicKey()));
      return sign(b, key);
    } catch (CertIOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot cross-sign " + newRoot.getSubjectX500Principal() + ": " + e.getMessage(), e);
    }
  }

  /**
   * A new key and its certificate for {@code who}: the first manager's own at {@code swarm init},
   * an administrator's client certificate. A node that joins makes its key itself and sends a CSR.
   */
  public NodeCredentials credentialsFor(NodeIdentity who, Duration validity) {
    NodeKey key = NodeKey.generate();
    return new NodeCredentials(key.privateKey(), issue(key.csr(), who, validity), root);
  }

  /** Whether {@code cert} was signed by this root and is within its validity now; the reason when not. */
  public void verify(X509Certificate cert) {
    try {
      cert.verify(root.getPublicKey());
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("certificate of " + cert.getSubjectX500Principal() + " is not signed by this cluster's CA");
    }
    try {
      cert.checkValidity();
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("certificate of " + cert.getSubjectX500Principal() + " is not valid now (until "
          + cert.getNotAfter().toInstant() + ")");
    }
  }

  private static PublicKey verifiedKey(PKCS10CertificationRequest csr) {
    try {
      PublicKey k = new org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest(csr).getPublicKey();
      ContentVerifierProvider v = new JcaContentVerifierProviderBuilder().build(k);
      if (!csr.isSignatureValid(v)) {
        throw new IllegalArgumentException("CSR signature does not verify with its own key");
      }
      if (!"EC".equals(k.getAlgorithm())) {
        throw new IllegalArgumentException("CSR key is " + k.getAlgorithm() + ", ECDSA P-256 expected");
      }
      return k;
    } catch (OperatorCreationException | PKCSException | GeneralSecurityException e) {
      throw new IllegalArgumentException("CSR unreadable: " + e.getMessage(), e);
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey signer) throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(Keys.SIGNATURE).build(signer)));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e.getMessage(), e);
    }
  }

  private static BigInteger serial() {
    return new BigInteger(128, Keys.random());
  }
}
