package meshplane.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import meshplane.cluster.api.ApiClient;
import meshplane.cluster.api.ApiTarget;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code meshctl swarm init|join|join-token|leave|ca|client-cert}, as {@code docker swarm}. */
@Command(name = "swarm", mixinStandardHelpOptions = true, description = "Create, join or leave a swarm.",
    subcommands = {SwarmCommand.Init.class, SwarmCommand.Join.class, SwarmCommand.JoinToken.class, SwarmCommand.Leave.class,
        SwarmCommand.Update.class, SwarmCommand.Ca.class, SwarmCommand.ClientCert.class})
final class SwarmCommand implements Runnable {
  private static final Pattern IPV4_PORT = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})(:\\d{1,5})?");

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a subcommand is missing: init, join, join-token or leave");
  }

  /** An IPv4 address, with an optional port; null stays null. */
  static String advertiseAddr(CommandSpec spec, String s) {
    if (s == null) {
      return null;
    }
    var m = IPV4_PORT.matcher(s);
    boolean ok = m.matches();
    for (int i = 1; ok && i <= 4; i++) {
      ok = Integer.parseInt(m.group(i)) <= 255;
    }
    if (ok && m.group(5) != null) {
      int port = Integer.parseInt(m.group(5).substring(1));
      ok = port >= 1 && port <= 65535;
    }
    if (!ok) {
      throw new ParameterException(spec.commandLine(), "--advertise-addr \"" + s + "\" must be an IPv4 address (optionally ADDR:PORT)");
    }
    return s;
  }

  @Command(name = "init", mixinStandardHelpOptions = true, description = "Make this node the first manager of a new swarm.")
  static final class Init implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ApiOptions api;
    @Option(names = "--advertise-addr", paramLabel = "IP", description = "The address other nodes reach this one at.")
    String advertiseAddr;
    @Option(names = "--heartbeat", paramLabel = "DURATION", converter = FlagConverters.Duration.class,
        description = "Agents' heartbeat period (e.g. 5s, 1s, 500ms); three missed and a node is down. Default: 5s.")
    Long heartbeatMillis;
    @Option(names = "--cert-expiry", paramLabel = "DURATION", converter = FlagConverters.Duration.class,
        description = "How long node certificates are valid (e.g. 2160h, 24h; 1h at least); renewed at 50-80% of it. Default: 2160h (90 days).")
    Long certExpiryMillis;
    @Option(names = "--force-new-cluster", description = "On a surviving manager of a swarm that lost its quorum: make it the"
        + " only manager, with the state it had (the other managers become down workers); refused while the managers have a quorum.")
    boolean forceNewCluster;

    ObjectNode body() {
      ObjectNode b = ApiClient.JSON.createObjectNode();
      b.put("advertiseAddr", advertiseAddr(spec, advertiseAddr));
      if (forceNewCluster) {
        if (heartbeatMillis != null || certExpiryMillis != null) {
          throw new ParameterException(spec.commandLine(), "--force-new-cluster keeps the swarm's settings: it takes no "
              + (heartbeatMillis != null ? "--heartbeat" : "--cert-expiry") + " (meshctl swarm update changes them)");
        }
        b.put("forceNewCluster", true);
        return b;
      }
      if (certExpiryMillis != null) {
        if (certExpiryMillis < 3_600_000L) {
          throw new ParameterException(spec.commandLine(), "--cert-expiry " + Durations.format(certExpiryMillis) + " must be at least 1h");
        }
        b.put("certExpiryMillis", certExpiryMillis);
      }
      if (heartbeatMillis != null) {
        if (heartbeatMillis < 100) {
          throw new ParameterException(spec.commandLine(), "--heartbeat " + Durations.format(heartbeatMillis) + " must be at least 100ms");
        }
        b.put("heartbeatMillis", heartbeatMillis);
      }
      return b;
    }

    @Override
    public Integer call() {
      ObjectNode body = body();
      JsonNode a = api.client().post("/v1/swarm/init", body);
      PrintWriter out = spec.commandLine().getOut();
      out.print(forceNewCluster ? forcedMessage(a) : initMessage(a));
      out.flush();
      return 0;
    }

    static String forcedMessage(JsonNode a) {
      StringBuilder demoted = new StringBuilder();
      a.path("demoted").forEach(n -> demoted.append(demoted.length() == 0 ? "" : ", ").append(n.asText()));
      return "Swarm reset to one manager: current node (" + Json.text(a, "nodeId") + ") is its only manager, with the"
          + " state it had.\n" + (demoted.length() == 0 ? "" : "Demoted to workers, down: " + demoted
          + " (meshctl node rm removes them).\n") + "\nTo add a manager to this swarm, run 'meshctl swarm join-token manager'"
          + " and follow the instructions.\n";
    }

    static String initMessage(JsonNode a) {
      return "Swarm initialized: current node (" + Json.text(a, "nodeId") + ") is now a manager.\n\n"
          + "To add a worker to this swarm, run the following command:\n\n"
          + "    meshctl swarm join --token " + Json.text(a, "workerToken") + " " + Json.text(a, "manager") + "\n\n"
          + "To add a manager to this swarm, run 'meshctl swarm join-token manager' and follow the instructions.\n";
    }
  }

  @Command(name = "join", mixinStandardHelpOptions = true, description = "Join a swarm as a worker or a manager (the token says which).")
  static final class Join implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ApiOptions api;
    @Option(names = "--token", required = true, paramLabel = "TOKEN", description = "The join token (meshctl swarm join-token worker|manager).")
    String token;
    @Option(names = "--advertise-addr", paramLabel = "IP", description = "The address other nodes reach this one at.")
    String advertiseAddr;
    @Parameters(index = "0", paramLabel = "MANAGER[:PORT]", description = "A manager's address (port default 2377).")
    String remote;

    ObjectNode body() {
      ObjectNode b = ApiClient.JSON.createObjectNode();
      b.put("token", token);
      try {
        b.put("remote", ApiTarget.parse(remote, "MANAGER").address());
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
      if (advertiseAddr != null) {
        b.put("advertiseAddr", advertiseAddr(spec, advertiseAddr));
      }
      return b;
    }

    @Override
    public Integer call() {
      JsonNode a = api.client().post("/v1/swarm/join", body());
      spec.commandLine().getOut().println("This node joined a swarm as a " + Json.lower(a, "role") + ".");
      return 0;
    }
  }

  @Command(name = "join-token", mixinStandardHelpOptions = true, description = "Print the command (or with -q the token) that joins a node.")
  static final class JoinToken implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ApiOptions api;
    @Option(names = {"-q", "--quiet"}, description = "Print the token only.")
    boolean quiet;
    @Option(names = "--rotate", description = "Replace the role's token: the old one admits no one from now on (joined nodes keep working).")
    boolean rotate;
    @Parameters(index = "0", paramLabel = "worker|manager")
    String role;

    @Override
    public Integer call() {
      if (!role.equals("worker") && !role.equals("manager")) {
        throw new ParameterException(spec.commandLine(), "role \"" + role + "\" must be worker or manager");
      }
      JsonNode a = rotate ? api.client().post("/v1/swarm/join-token/" + role + "/rotate", null)
          : api.client().get("/v1/swarm/join-token/" + role);
      PrintWriter out = spec.commandLine().getOut();
      if (rotate && !quiet) {
        out.printf("Successfully rotated %s join token.%n%n", role);
      }
      if (quiet) {
        out.println(Json.text(a, "token"));
      } else {
        out.printf("To add a %s to this swarm, run the following command:%n%n    %s%n%n", role, Json.text(a, "command"));
      }
      return 0;
    }
  }

  @Command(name = "leave", mixinStandardHelpOptions = true, description = "Leave the swarm (a manager needs --force).")
  static final class Leave implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ApiOptions api;
    @Option(names = {"-f", "--force"}, description = "Leave even as a manager (the swarm may lose its quorum).")
    boolean force;

    @Override
    public Integer call() {
      ObjectNode b = ApiClient.JSON.createObjectNode().put("force", force);
      api.client().post("/v1/swarm/leave", b);
      spec.commandLine().getOut().println("Node left the swarm.");
      return 0;
    }
  }

  @Command(name = "update", mixinStandardHelpOptions = true, description = "Change the swarm's settings.")
  static final class Update implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ApiOptions api;
    @Option(names = "--cert-expiry", required = true, paramLabel = "DURATION", converter = FlagConverters.Duration.class,
        description = "How long node certificates issued from now on are valid (1h at least); nodes get them at their next renewal.")
    Long certExpiryMillis;

    @Override
    public Integer call() {
      if (certExpiryMillis < 3_600_000L) {
        throw new ParameterException(spec.commandLine(), "--cert-expiry " + Durations.format(certExpiryMillis) + " must be at least 1h");
      }
      api.client().post("/v1/swarm/update", java.util.Map.of("certExpiryMillis", certExpiryMillis));
      spec.commandLine().getOut().println("Swarm updated.");
      return 0;
    }
  }

  @Command(name = "ca", mixinStandardHelpOptions = true,
      description = "Print the swarm's root CA certificate (PEM); --rotate to a new root, cross-signed by the current one.")
  static final class Ca implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ApiOptions api;
    @Option(names = "--rotate", description = "Make a new root CA; every node moves to it (its certificate renewed), then the old root goes.")
    boolean rotate;
    @Option(names = {"-d", "--detach"}, description = "With --rotate: do not wait for the nodes to move over.")
    boolean detach;
    @Option(names = "--timeout", paramLabel = "DURATION", converter = FlagConverters.Duration.class, defaultValue = "120s",
        description = "With --rotate: how long to wait for the nodes. Default: ${DEFAULT-VALUE}.")
    long timeoutMillis;

    @Override
    public Integer call() throws InterruptedException {
      var c = api.client();
      PrintWriter out = spec.commandLine().getOut();
      if (!rotate) {
        JsonNode ca = c.get("/v1/swarm/ca");
        out.print(Json.text(ca, "certificate"));
        if (ca.path("rotating").asBoolean()) {
          spec.commandLine().getErr().println("meshctl: a root rotation is under way; nodes left: " + ca.path("nodesLeft"));
        }
        out.flush();
        return 0;
      }
      JsonNode started = c.post("/v1/swarm/ca/rotate", null);
      out.println("rotating the root CA: nodes left " + started.path("nodesLeft"));
      out.flush();
      if (detach) {
        return 0;
      }
      long end = System.currentTimeMillis() + timeoutMillis;
      String last = "";
      while (System.currentTimeMillis() < end) {
        JsonNode ca = c.get("/v1/swarm/ca");
        if (!ca.path("rotating").asBoolean()) {
          out.print(Json.text(ca, "certificate"));
          out.flush();
          return 0;
        }
        String left = ca.path("nodesLeft").toString();
        if (!left.equals(last)) {
          out.println("nodes left: " + left);
          out.flush();
          last = left;
        }
        Thread.sleep(500);
      }
      spec.commandLine().getErr().println("meshctl: the rotation goes on; nodes left: " + last
          + " (meshctl swarm ca shows when it is done)");
      return 1;
    }
  }

  /**
   * A client certificate for remote administration ({@code meshctl -H tcp://MANAGER:2377
   * --tlscacert ca.pem --tlscert cert.pem --tlskey key.pem}): the key is made here, only its CSR
   * goes to the manager.
   */
  @Command(name = "client-cert", mixinStandardHelpOptions = true,
      description = "Make a client certificate for remote administration: writes ca.pem, cert.pem and key.pem (0600) to --out.")
  static final class ClientCert implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ApiOptions api;
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write ca.pem, cert.pem and key.pem.")
    java.nio.file.Path out;

    @Override
    public Integer call() throws java.io.IOException {
      meshplane.pki.NodeKey key = meshplane.pki.NodeKey.generate();
      JsonNode a = api.client().post("/v1/swarm/client-cert", java.util.Map.of("csr", meshplane.pki.Pem.write(key.csr())));
      java.nio.file.Files.createDirectories(out);
      java.nio.file.Path k = out.resolve("key.pem");
      java.nio.file.Files.deleteIfExists(k);
      java.nio.file.Files.createFile(k, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
          java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
      java.nio.file.Files.writeString(k, key.privateKeyPem());
      StringBuilder chain = new StringBuilder(Json.text(a, "certificate"));
      a.path("chain").forEach(c -> chain.append(c.asText()));
      StringBuilder roots = new StringBuilder();
      a.path("roots").forEach(r -> roots.append(r.asText()));
      if (roots.length() == 0) {
        throw new IllegalStateException("the manager sent no root CA with the certificate");
      }
      java.nio.file.Files.writeString(out.resolve("cert.pem"), chain);
      java.nio.file.Files.writeString(out.resolve("ca.pem"), roots);
      spec.commandLine().getOut().printf("client %s: %s, %s, %s%n", Json.text(a, "clientId"), out.resolve("ca.pem"),
          out.resolve("cert.pem"), k);
      return 0;
    }
  }
}
