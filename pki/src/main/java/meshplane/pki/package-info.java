/**
 * The cluster's PKI, as SwarmKit's ca package: a root CA made at {@code swarm init} (ECDSA P-256),
 * node certificates issued from CSRs with the identity in the subject (CN node id, OU role, O
 * cluster id), that identity read back from a peer's certificate, and join tokens naming the
 * root by its digest. BouncyCastle builds and signs; the JDK's types carry the results.
 */
package meshplane.pki;
