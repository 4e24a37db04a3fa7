package meshplane.node.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import meshplane.netlink.NetNamespace;
import meshplane.testkit.Command;
import meshplane.testkit.DockerEngineFixture;
import meshplane.cluster.model.LogOptions;
import meshplane.cluster.model.ResourceLimits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The docker executor against a real dockerd (started by scripts/docker-engine.sh with no bridge
 * and no iptables) and the meshplane/busybox image. Witnesses are outside tools: the docker CLI,
 * {@code ip netns identify}, curl from a second namespace over a veth pair the test plumbs, and
 * the root namespace's link list before and after. If docker cannot be installed or started the
 * tests fail with the reason.
 */
@Tag("kernel")
class DockerExecutorKernelTest {
  private static final String IMAGE = "meshplane/busybox:latest";
  /** Every task id of this class starts so; containers and namespaces are found by it on teardown. */
  private static final String TASK_PREFIX = "mptdk";
  private static final String DOCKER = Files.isExecutable(Path.of("/usr/bin/docker")) ? "/usr/bin/docker" : "docker";

  private static List<String> rootLinksBefore;
  /** The engine, stopped at the end if this class started it. */
  private static DockerEngineFixture engine;

  private final String suffix = Long.toString(ThreadLocalRandom.current().nextLong(1L << 40, 1L << 41), 36);
  private final List<DockerExecutor> executors = new ArrayList<>();
  private Path dir;

  @BeforeAll
  static void engine() {
    rootLinksBefore = rootLinkNames();
    engine = DockerEngineFixture.start();
    assertEquals(rootLinksBefore, rootLinkNames(), "starting the engine changed the root namespace's links");
  }

  @BeforeEach
  void folder() throws IOException {
    dir = Files.createTempDirectory("mpt-dk-");
  }

  @AfterEach
  void teardown() throws IOException {
    for (DockerExecutor e : executors) {
      e.close();
    }
    removeTestContainers();
    for (String ns : NetNamespace.listWithPrefix("mpt-dk")) {
      NetNamespace.delete(ns);
    }
    Command.run("rm", "-rf", dir.toString());
  }

  @AfterAll
  static void rootUnchanged() {
    removeTestContainers();
    if (engine != null) {
      engine.stop();
    }
    assertEquals(rootLinksBefore, rootLinkNames(), "the root namespace's links changed");
  }

  @Test
  void servesHttpFromItsBoundNamespaceWithTaskHostnameAndDns() throws Exception {
    DockerExecutor docker = executor();
    TaskLaunch launch = launch("web", List.of("sh", "-c",
        "cat /etc/resolv.conf; mkdir -p /www && echo hello-$(hostname) > /www/index.html && exec httpd -f -p 80 -h /www"));

    assertEquals(launch.netns(), docker.prepare(launch));
    String pid = dockerCli("inspect", "-f", "{{.State.Pid}}", containerOf(launch)).trim();
    assertEquals(launch.netns(), Command.run("ip", "netns", "identify", pid).orThrow().trim(),
        "/run/netns/" + launch.netns() + " is the container's namespace");
    assertEquals("none", dockerCli("inspect", "-f", "{{.HostConfig.NetworkMode}}", containerOf(launch)).trim());
    RunningTask task = docker.start(launch);
    assertTrue(task.isAlive());

    String client = "mpt-dkc-" + suffix;
    Command.run("ip", "netns", "add", client).orThrow();
    Command.run("ip", "-n", launch.netns(), "link", "add", "eth0", "type", "veth", "peer", "name", "eth0",
        "netns", client).orThrow();
    Command.run("ip", "-n", launch.netns(), "addr", "add", "10.99.0.1/24", "dev", "eth0").orThrow();
    Command.run("ip", "-n", launch.netns(), "link", "set", "eth0", "up").orThrow();
    Command.run("ip", "-n", client, "addr", "add", "10.99.0.2/24", "dev", "eth0").orThrow();
    Command.run("ip", "-n", client, "link", "set", "eth0", "up").orThrow();
    Command.run("ip", "-n", client, "link", "set", "lo", "up").orThrow();

    Command.Result page = Command.run(20, "ip", "netns", "exec", client,
        "curl", "-sS", "--retry", "5", "--retry-connrefused", "--retry-delay", "1", "--max-time", "5",
        "http://10.99.0.1/");
    assertEquals("hello-" + launch.taskName(), page.orThrow().trim());
    assertEquals("nameserver 127.0.0.11",
        dockerCli("exec", containerOf(launch), "cat", "/etc/resolv.conf").trim());
    awaitTrue("the task's log file holds its resolv.conf", () -> read(launch.logFile()).contains("nameserver 127.0.0.11"));

    TaskStops.stop(task, Duration.ofSeconds(2));
    assertFalse(task.isAlive());
    assertTrue(task.exitCode().isPresent(), "an exit code once stopped");
    assertEquals("false", dockerCli("inspect", "-f", "{{.State.Running}}", containerOf(launch)).trim());

    docker.cleanup(launch);
    assertFalse(Command.run(DOCKER, "inspect", containerOf(launch)).ok(), "cleanup removed the container");
    assertFalse(Files.exists(NetNamespace.RUN_NETNS.resolve(launch.netns())));
    assertFalse(Command.run("ip", "netns", "list").orThrow().contains(launch.netns()));
    assertEquals(rootLinksBefore, rootLinkNames(), "the root namespace's links changed");
  }

  @Test
  void reportsTheExitCodeOfATaskThatEnds() {
    DockerExecutor docker = executor();
    TaskLaunch launch = launch("exit", List.of("sh", "-c", "echo bye; exit 7"));
    docker.prepare(launch);
    assertTrue(NetNamespace.exists(launch.netns()), "a namespace to plumb into even when the task ended at once");
    RunningTask task = docker.start(launch);
    awaitTrue("the task ends", () -> !task.isAlive());
    assertEquals(OptionalInt.of(7), task.exitCode());
    assertEquals("7", dockerCli("inspect", "-f", "{{.State.ExitCode}}", containerOf(launch)).trim());
    awaitTrue("its output reaches the log file", () -> read(launch.logFile()).contains("bye"));

    docker.cleanup(launch);
    assertFalse(Command.run(DOCKER, "inspect", containerOf(launch)).ok(), "cleanup removed the container");
    assertFalse(NetNamespace.exists(launch.netns()));
  }

  @Test
  void aFreshExecutorAdoptsARunningContainerAndBindsItsNamespaceAgain() throws Exception {
    DockerExecutor first = executor();
    TaskLaunch launch = launch("adopt", List.of("sh", "-c", "echo first; sleep 3; echo second; exec sleep 300"));
    first.prepare(launch);
    first.start(launch);
    awaitTrue("the first executor copies the first line", () -> read(launch.logFile()).equals("first\n"));
    first.close(); // the agent goes away; the container keeps running, and writes a line meanwhile
    awaitTrue("the container writes its second line", () -> dockerCli("logs", containerOf(launch)).contains("second"));
    Command.run("ip", "netns", "delete", launch.netns()).orThrow(); // and the name is lost, as after a reboot of /run

    DockerExecutor second = executor();
    assertNull(second.adopt(launch("never-started", List.of())), "no container, nothing to adopt");
    RunningTask adopted = second.adopt(launch);
    assertNotNull(adopted);
    assertTrue(adopted.isAlive());
    String pid = dockerCli("inspect", "-f", "{{.State.Pid}}", containerOf(launch)).trim();
    assertEquals(launch.netns(), Command.run("ip", "netns", "identify", pid).orThrow().trim());
    awaitTrue("the line written while no agent ran is copied", () -> read(launch.logFile()).contains("second"));
    assertEquals("first\nsecond\n", read(launch.logFile()), "copied on from where the first executor got to");

    TaskStops.stop(adopted, Duration.ofSeconds(1));
    assertFalse(adopted.isAlive());
    assertNull(second.adopt(launch), "a stopped task is not adopted");
    second.cleanup(launch);
    assertFalse(NetNamespace.exists(launch.netns()));
    assertTrue(dockerCli("ps", "-aq", "--filter", "label=meshplane.task=" + launch.taskId()).isBlank());
  }

  @Test
  void limitsReachTheEngineAndAnOomKillIsTheTasksEndReason() {
    DockerExecutor docker = executor();
    TaskLaunch plain = launch("oom", List.of("dd", "if=/dev/zero", "of=/dev/null", "bs=200M", "count=1"));
    // dd's 200 MiB block against a limit of 32 MiB; 0.5 cores, 64 pids, a log of 2 x 1 MiB
    TaskLaunch launch = new TaskLaunch(plain.taskId(), plain.taskName(), plain.netns(), plain.image(), plain.command(),
        plain.env(), plain.logFile(), plain.stateDir(), new ResourceLimits(500_000_000L, 32L << 20, 64L),
        new LogOptions(1L << 20, 2));
    docker.prepare(launch);
    assertEquals("500000000 33554432 33554432 64",
        dockerCli("inspect", "-f", "{{.HostConfig.NanoCpus}} {{.HostConfig.Memory}} {{.HostConfig.MemorySwap}} "
            + "{{.HostConfig.PidsLimit}}", containerOf(launch)).trim());
    assertEquals("json-file 1048576 2", dockerCli("inspect", "-f",
        "{{.HostConfig.LogConfig.Type}} {{index .HostConfig.LogConfig.Config \"max-size\"}} "
            + "{{index .HostConfig.LogConfig.Config \"max-file\"}}", containerOf(launch)).trim());
    RunningTask task = docker.start(launch);
    awaitTrue("the task ends", () -> !task.isAlive());
    assertEquals("true", dockerCli("inspect", "-f", "{{.State.OOMKilled}}", containerOf(launch)).trim());
    assertEquals(OptionalInt.of(137), task.exitCode());
    assertEquals(java.util.Optional.of("OOM killed (memory limit 32 MiB)"), task.endReason());
    docker.cleanup(launch);
  }

  @Test
  void aMissingImageIsRejectedByName() {
    DockerExecutor docker = executor();
    TaskLaunch launch = new TaskLaunch(TASK_PREFIX + suffix + "img", "noimg.1", "mpt-dk-" + suffix,
        "meshplane/mpt-no-such-image:latest", List.of(), Map.of(), dir.resolve("task.log"), dir.resolve("state"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> docker.prepare(launch));
    assertEquals("image meshplane/mpt-no-such-image:latest not found on this node", e.getMessage());
    assertFalse(NetNamespace.exists(launch.netns()));
    assertFalse(Command.run(DOCKER, "inspect", containerOf(launch)).ok());
  }

  @Test
  void cleanupLeavesNoContainerAndNoNamespace() {
    DockerExecutor docker = executor();
    TaskLaunch launch = launch("clean", List.of("sleep", "300"));
    docker.prepare(launch);
    docker.start(launch);
    docker.cleanup(launch); // without stop: the container is removed by force

    assertTrue(dockerCli("ps", "-aq", "--filter", "name=" + containerOf(launch)).isBlank());
    assertTrue(NetNamespace.listWithPrefix("mpt-dk-").isEmpty(), "no /run/netns/mpt-dk-*");
    assertFalse(Files.exists(launch.stateDir()));
  }

  private DockerExecutor executor() {
    DockerExecutor e = new DockerExecutor();
    executors.add(e);
    return e;
  }

  private TaskLaunch launch(String service, List<String> command) {
    String taskId = TASK_PREFIX + suffix + service.replace("-", "");
    Path state = dir.resolve(service);
    try {
      Files.createDirectories(state);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return new TaskLaunch(taskId, service + ".1." + taskId, "mpt-dk-" + suffix, IMAGE, command,
        Map.of("MPT", "1"), dir.resolve(service + ".log"), state);
  }

  private static String containerOf(TaskLaunch launch) {
    return DockerExecutor.containerName(launch.taskId());
  }

  private static String dockerCli(String... args) {
    String[] argv = new String[args.length + 1];
    argv[0] = DOCKER;
    System.arraycopy(args, 0, argv, 1, args.length);
    return Command.run(argv).orThrow();
  }

  /** Containers of this class's tasks (label meshplane.task=mptdk...), running or not. */
  private static void removeTestContainers() {
    Command.Result r = Command.run(DOCKER, "ps", "-a", "--filter", "label=" + DockerExecutor.LABEL_TASK,
        "--format", "{{.Names}}");
    if (!r.ok()) {
      return;
    }
    for (String name : r.output().split("\\s+")) {
      if (name.startsWith(DockerExecutor.CONTAINER_PREFIX + TASK_PREFIX)) {
        Command.run(DOCKER, "rm", "-f", name);
      }
    }
  }

  private static List<String> rootLinkNames() {
    return Arrays.stream(Command.run("ip", "-o", "link").orThrow().split("\n"))
        .filter(l -> !l.isBlank())
        .map(l -> l.split(": ")[1])
        .sorted()
        .toList();
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      return "";
    }
  }

  /** Waits (at most 15 s) for a condition that follows from an event already caused. */
  private static void awaitTrue(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("not within 15 s: " + what);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted waiting for: " + what);
      }
    }
  }
}
