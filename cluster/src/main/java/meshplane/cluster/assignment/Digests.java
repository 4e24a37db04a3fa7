package meshplane.cluster.assignment;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import meshplane.pki.JoinToken;
import meshplane.pki.Pem;

/** A root certificate's digest (as join tokens write it), from its PEM, remembered: assignments ask for it on every build. */
public final class Digests {
  private static final Map<String, String> SEEN = new ConcurrentHashMap<>();

  private Digests() {}

  public static String of(String rootPem) {
    if (SEEN.size() > 64) {
      SEEN.clear();
    }
    return SEEN.computeIfAbsent(rootPem, pem -> JoinToken.digest(Pem.certificate(pem, "a root CA certificate")));
  }
}
