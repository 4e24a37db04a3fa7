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
}
