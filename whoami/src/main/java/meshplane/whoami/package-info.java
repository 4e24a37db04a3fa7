/**
 * The built-in workload {@code meshplane/whoami} (docs/executors.md): {@link meshplane.whoami.Whoami}
 * is the program, {@link meshplane.whoami.WhoamiJvm} the JVM it wants. It depends on Netty only.
 */
package meshplane.whoami;
