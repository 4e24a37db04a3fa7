package meshplane.node.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** What needs no dockerd: names, and the error when dockerd cannot be reached. */
@Tag("unit")
class DockerExecutorTest {
  @Test
  void containersAreNamedByTaskId() {
    assertEquals("mp-task-abc123", DockerExecutor.containerName("abc123"));
  }

  @Test
  void anUnreachableEngineIsNamedByItsSocket() {
    String socket = "unix:///tmp/mpt-dk-no-such-dockerd.sock";
    TaskLaunch launch = new TaskLaunch("mptdkunreach", "svc.1.mptdkunreach", "mpt-dk-unreach", "meshplane/busybox",
        List.of(), Map.of(), Path.of("/tmp/mpt-dk-unreach.log"), Path.of("/tmp/mpt-dk-unreach"));
    try (DockerExecutor docker = new DockerExecutor(URI.create(socket))) {
      assertEquals("docker", docker.name());
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> docker.prepare(launch));
      assertTrue(e.getMessage().contains("cannot reach dockerd at " + socket), e.getMessage());
      assertTrue(e.getMessage().contains("remove container mp-task-mptdkunreach"), e.getMessage());
    }
  }
}
