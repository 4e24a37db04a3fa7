package meshplane.pki;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A join token, Swarm's format: {@code SWMTKN-1-<digest>-<secret>}. The digest is the SHA-256 of
 * the root CA certificate (DER) in base 36, 50 characters: a joiner checks the CA a manager shows
 * against it before trusting anything that manager says. The secret is 128 random bits in base 36,
 * 25 characters: what the manager checks, in constant time, to admit a node in the token's role.
 */
public final class JoinToken {
  private static final Pattern FORMAT = Pattern.compile("SWMTKN-1-([0-9a-z]{50})-([0-9a-z]{25})");
  private static final int DIGEST_CHARS = 50;
  private static final int SECRET_CHARS = 25;

  private final String digest;
  private final String secret;

  private JoinToken(String digest, String secret) {
    this.digest = digest;
    this.secret = secret;
  }

  /** A new token for the cluster whose root is {@code root}. */
  public static JoinToken generate(X509Certificate root) {
    return new JoinToken(digestOf(root), base36(new BigInteger(128, Keys.random()), SECRET_CHARS));
  }

  /**
   * Reads a token; a malformed one is an error saying which part is wrong (and never echoing the
   * secret).
   */
  public static JoinToken parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("join token is empty");
    }
    String t = text.strip();
    Matcher m = FORMAT.matcher(t);
    if (m.matches()) {
      return new JoinToken(m.group(1), m.group(2));
    }
    String[] parts = t.split("-", -1);
    if (parts.length != 4 || !parts[0].equals("SWMTKN")) {
      throw new IllegalArgumentException("join token must read SWMTKN-1-<digest>-<secret>");
    }
    if (!parts[1].equals("1")) {
      throw new IllegalArgumentException("join token version " + parts[1] + " is not known (1 is)");
    }
    if (!parts[2].matches("[0-9a-z]{" + DIGEST_CHARS + "}")) {
      throw new IllegalArgumentException("join token's CA digest must be " + DIGEST_CHARS + " characters of [0-9a-z]");
    }
    throw new IllegalArgumentException("join token's secret must be " + SECRET_CHARS + " characters of [0-9a-z]");
  }

  /** The same secret naming {@code newRoot}: the token once a rotation to that root is done. */
  public JoinToken forRoot(X509Certificate newRoot) {
    return new JoinToken(digestOf(newRoot), secret);
  }

  /** The digest a token of {@code root} carries (50 characters of base 36). */
  public static String digest(X509Certificate root) {
    return digestOf(root);
  }

  public String text() {
    return "SWMTKN-1-" + digest + "-" + secret;
  }

  /** Whether this token names {@code root} as the cluster's CA. */
  public boolean namesRoot(X509Certificate root) {
    return MessageDigest.isEqual(digest.getBytes(StandardCharsets.US_ASCII), digestOf(root).getBytes(StandardCharsets.US_ASCII));
  }

  /** Whether {@code presented} is this token, compared in constant time. */
  public boolean admits(JoinToken presented) {
    return MessageDigest.isEqual(text().getBytes(StandardCharsets.US_ASCII), presented.text().getBytes(StandardCharsets.US_ASCII));
  }

  /** The token with its secret hidden, for logs and errors. */
  @Override
  public String toString() {
    return "SWMTKN-1-" + digest + "-<secret>";
  }

  static String digestOf(X509Certificate root) {
    try {
      byte[] sha = MessageDigest.getInstance("SHA-256").digest(root.getEncoded());
      return base36(new BigInteger(1, sha), DIGEST_CHARS);
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      throw new IllegalStateException("cannot digest the root CA certificate: " + e.getMessage(), e);
    }
  }

  private static String base36(BigInteger v, int width) {
    String s = v.toString(36);
    return "0".repeat(Math.max(0, width - s.length())) + s;
  }
}
