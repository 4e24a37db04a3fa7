package meshplane.cli;

import static meshplane.cli.MeshctlTest.meshctl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import meshplane.lab.Lab;
import meshplane.netlink.NetNamespace;
import meshplane.testkit.Command;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The lab through the CLI, as a person would drive it: up, ls, exec, down. */
@Tag("e2e")
class MeshctlLabE2ETest {

  @Test
  void upLsExecDown() {
    String name = "tcli" + (ProcessHandle.current().pid() % 1000);
    try {
      MeshctlTest.Run up = meshctl("lab", "up", "--nodes", "3", "--no-swarm", "--name", name);
      assertEquals(0, up.status(), up.err());
      assertTrue(up.out().contains("mp-" + name + "-node3"), up.out());

      MeshctlTest.Run ls = meshctl("lab", "ls", "--name", name);
      assertEquals(0, ls.status(), ls.err());
      assertTrue(ls.out().contains("198.18.0.200/24"), ls.out());
      assertTrue(ls.out().contains("nsenter --net=/run/netns/mp-" + name + "-node2"), ls.out());

      // The nsenter command ls prints works: node1 reaches node3 through it.
      assertTrue(Command.run("nsenter", "--net=/run/netns/mp-" + name + "-node1", "ping", "-c1", "-W2", "198.18.0.3").ok());
      assertEquals(0, meshctl("lab", "exec", "--name", name, "client", "--", "ping", "-c1", "-W2", "198.18.0.2").status());
      assertEquals(1, meshctl("lab", "exec", "--name", name, "node1", "--", "sh", "-c", "exit 1").status(),
          "exec passes the command's exit status through");
    } finally {
      MeshctlTest.Run down = meshctl("lab", "down", "--name", name);
      assertEquals(0, down.status(), down.err());
    }
    assertTrue(NetNamespace.listWithPrefix("mp-" + name + "-").isEmpty());
    assertTrue(Lab.find(name).isEmpty());
  }

  /**
   * A daemon killed while it removed its tasks leaves task processes whose namespace has no name
   * any more: lab down still ends them (by the task mark and the lab's folder in their command
   * line), and leaves alone a process that only reads the lab's log.
   */
  @Test
  void downEndsTheTasksOfADaemonKilledMidStopAndNothingElse() throws Exception {
    String name = "tlk" + (ProcessHandle.current().pid() % 1000);
    String folder = "/run/meshplane/" + name + "/";
    Process reader = null;
    try {
      MeshctlTest.Run up = meshctl("lab", "up", "--nodes", "1", "--managers", "1", "--name", name);
      assertEquals(0, up.status(), up.err());
      assertEquals("tmpfs meshplane-" + name, mountAt(folder), "the lab's folder is a tmpfs of its own");
      MeshctlTest.Run create = meshctl("service", "create", "--lab", name, "--name", "s", "--replicas", "3",
          "busybox", "sleep", "100000");
      assertEquals(0, create.status(), create.err());
      assertTrue(!naming(folder).isEmpty(), "the tasks run");
      assertEquals(0, meshctl("lab", "stop", "--name", name, "node1", "--kill").status());
      for (String ns : NetNamespace.listWithPrefix("mp-" + name + "-node1-")) {
        if (!ns.endsWith("ingress_sbox") && !ns.contains("-ov-")) {
          NetNamespace.delete(ns); // as the killed daemon had begun to: the tasks run on, unnamed
        }
      }
      reader = new ProcessBuilder("tail", "-f", folder + "node1.log").start();
    } finally {
      MeshctlTest.Run down = meshctl("lab", "down", "--name", name);
      assertEquals(0, down.status(), down.err());
    }
    try {
      assertEquals(java.util.List.of(), naming(folder),
          "no task process of the lab is left");
      assertTrue(reader.isAlive(), "a process reading the lab's log is not a task: left alone");
      assertEquals("", mountAt(folder), "lab down unmounts the lab's tmpfs, though a reader holds a file in it");
    } finally {
      reader.destroyForcibly();
    }
  }

  /** findmnt's file system type and source of the mount on {@code folder}, "" when none. */
  private static String mountAt(String folder) {
    return meshplane.testkit.Command.run("findmnt", "-n", "-o", "FSTYPE,SOURCE", "--mountpoint", folder.replaceAll("/+$", "")).output().strip()
        .replaceAll("\\s+", " ");
  }

  /** Processes marked as tasks whose command line names {@code folder}, read from /proc. */
  private static java.util.List<Long> naming(String folder) throws java.io.IOException {
    java.util.List<Long> pids = new java.util.ArrayList<>();
    try (var procs = java.nio.file.Files.list(java.nio.file.Path.of("/proc"))) {
      for (java.nio.file.Path p : procs.filter(x -> x.getFileName().toString().matches("[0-9]+")).toList()) {
        try {
          String cmd = java.nio.file.Files.readString(p.resolve("cmdline"), java.nio.charset.StandardCharsets.ISO_8859_1);
          String env = java.nio.file.Files.readString(p.resolve("environ"), java.nio.charset.StandardCharsets.ISO_8859_1);
          if (cmd.contains(folder) && ("\0" + env).contains("\0MESHPLANE_TASK=")) {
            pids.add(Long.parseLong(p.getFileName().toString()));
          }
        } catch (java.io.IOException e) {
          // exited meanwhile
        }
      }
    }
    return pids;
  }
}
