package meshplane.cluster.raft;

import meshplane.cluster.api.TestPki;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * Raft stores on loopback in one JVM, each with its own free port and data directory under one
 * {@code mpt-raft-*} temp directory, which {@link #close} removes with every store. Each store
 * holds a manager certificate of {@link TestPki#SHARED}, its name the node id, so they trust
 * each other over the Raft port's mutual TLS.
 */
final class StoreCluster implements AutoCloseable {
  static final int ELECTION_TIMEOUT_MS = 600;
  static final Duration WAIT = Duration.ofSeconds(20);

  private final Path root;
  private final Map<String, String> addresses = new LinkedHashMap<>();
  private final Map<String, RaftStoreConfig> configs = new LinkedHashMap<>();
  private final Map<String, RaftStore> running = new LinkedHashMap<>();

  StoreCluster() throws IOException {
    root = Files.createTempDirectory("mpt-raft-");
  }

  /** Reserves an address for each name (so peers can be listed before any store starts). */
  List<String> addresses(String... names) throws IOException {
    List<String> out = new ArrayList<>();
    for (String n : names) {
      out.add(addresses.computeIfAbsent(n, k -> "127.0.0.1:" + freePort()));
    }
    return out;
  }

  String address(String name) {
    return addresses.get(name);
  }

  Path dataDir(String name) {
    return root.resolve(name);
  }

  RaftStore start(String name, List<String> initialPeers) throws IOException {
    addresses(name);
    RaftStoreConfig c = new RaftStoreConfig(dataDir(name), address(name), initialPeers, ELECTION_TIMEOUT_MS, 0,
        new meshplane.pki.LiveCredentials(TestPki.SHARED.manager(name)));
    configs.put(name, c);
    RaftStore s = RaftStore.start(c);
    running.put(name, s);
    return s;
  }

  /** Starts {@code name} again from its data directory with the configuration it first had. */
  RaftStore restart(String name) throws IOException {
    RaftStore s = RaftStore.start(configs.get(name));
    running.put(name, s);
    return s;
  }

  void stop(String name) {
    RaftStore s = running.remove(name);
    if (s != null) {
      s.close();
    }
  }

  RaftStore get(String name) {
    return running.get(name);
  }

  List<RaftStore> running() {
    return List.copyOf(running.values());
  }

  /** Waits until exactly one running store leads and every running store names it. */
  RaftStore awaitLeader() {
    RaftStore[] found = new RaftStore[1];
    await("a leader that every running store agrees on", () -> {
      List<RaftStore> leaders = running.values().stream().filter(RaftStore::isLeader).toList();
      if (leaders.size() != 1) {
        return false;
      }
      found[0] = leaders.get(0);
      return running.values().stream().allMatch(s -> s.leader().orElse("").equals(found[0].self()));
    });
    return found[0];
  }

  static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("not within " + WAIT.toSeconds() + " s: " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted waiting for " + what);
      }
    }
  }

  static <T> T result(CompletableFuture<T> f) throws Exception {
    return f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  static Throwable failure(CompletableFuture<?> f) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    return e.getCause();
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free loopback port", e);
    }
  }

  @Override
  public void close() throws IOException {
    for (String n : List.copyOf(running.keySet())) {
      stop(n);
    }
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
