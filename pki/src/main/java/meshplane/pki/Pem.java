package meshplane.pki;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/** PEM in and out, the one place: certificates, PKCS#8 private keys, CSRs. Errors name what was read. */
public final class Pem {
  private Pem() {}

  /** One or more objects as PEM blocks, in order; a private key as PKCS#8 ({@code PRIVATE KEY}). */
  public static String write(Object... objects) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      for (Object o : objects) {
        if (o instanceof PrivateKey k) {
          w.writeObject(new JcaPKCS8Generator(k, null));
        } else {
          w.writeObject(o);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write PEM", e);
    }
    return out.toString();
  }

  /** The first certificate in {@code pem}; {@code what} names it in errors ("the root CA certificate"). */
  public static X509Certificate certificate(String pem, String what) {
    Object o = first(pem, what);
    if (!(o instanceof X509CertificateHolder h)) {
      throw new IllegalArgumentException(what + ": PEM holds no CERTIFICATE but " + kind(o));
    }
    try {
      return new JcaX509CertificateConverter().getCertificate(h);
    } catch (CertificateException e) {
      throw new IllegalArgumentException(what + ": not a valid X.509 certificate: " + e.getMessage(), e);
    }
  }

  /** Every certificate in {@code pem}, in order (a chain, a set of roots); at least one. */
  public static java.util.List<X509Certificate> certificates(String pem, String what) {
    java.util.List<X509Certificate> out = new java.util.ArrayList<>();
    if (pem == null || pem.isBlank()) {
      throw new IllegalArgumentException(what + ": empty, PEM expected");
    }
    try (PEMParser p = new PEMParser(new StringReader(pem))) {
      for (Object o = p.readObject(); o != null; o = p.readObject()) {
        if (!(o instanceof X509CertificateHolder h)) {
          throw new IllegalArgumentException(what + ": PEM holds a " + kind(o) + " among its certificates");
        }
        out.add(new JcaX509CertificateConverter().getCertificate(h));
      }
    } catch (IOException | CertificateException e) {
      throw new IllegalArgumentException(what + ": malformed PEM: " + e.getMessage(), e);
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(what + ": no PEM block found");
    }
    return out;
  }

  /** The private key in {@code pem} (PKCS#8 or an EC key pair). */
  public static PrivateKey privateKey(String pem, String what) {
    Object o = first(pem, what);
    try {
      if (o instanceof PrivateKeyInfo info) {
        return new JcaPEMKeyConverter().getPrivateKey(info);
      }
      if (o instanceof PEMKeyPair pair) {
        return new JcaPEMKeyConverter().getKeyPair(pair).getPrivate();
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(what + ": unreadable private key: " + e.getMessage(), e);
    }
    throw new IllegalArgumentException(what + ": PEM holds no PRIVATE KEY but " + kind(o));
  }

  /** The CSR in {@code pem}. */
  public static PKCS10CertificationRequest csr(String pem, String what) {
    Object o = first(pem, what);
    if (!(o instanceof PKCS10CertificationRequest csr)) {
      throw new IllegalArgumentException(what + ": PEM holds no CERTIFICATE REQUEST but " + kind(o));
    }
    return csr;
  }

  private static Object first(String pem, String what) {
    if (pem == null || pem.isBlank()) {
      throw new IllegalArgumentException(what + ": empty, PEM expected");
    }
    try (PEMParser p = new PEMParser(new StringReader(pem))) {
      Object o = p.readObject();
      if (o == null) {
        throw new IllegalArgumentException(what + ": no PEM block found");
      }
      return o;
    } catch (IOException e) {
      throw new IllegalArgumentException(what + ": malformed PEM: " + e.getMessage(), e);
    }
  }

  private static String kind(Object o) {
    return o.getClass().getSimpleName();
  }
}
