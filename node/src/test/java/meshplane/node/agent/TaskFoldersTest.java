package meshplane.node.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import meshplane.cluster.model.InvalidRequestException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class TaskFoldersTest {
  @TempDir Path dir;

  @Test
  void anIdThatIsAPathIsNeverResolved() {
    TaskFolders f = new TaskFolders(dir.resolve("logs"), dir.resolve("tasks"));
    assertEquals(dir.resolve("logs/t0123456789abcdefghijklmn.log"), f.logFile("t0123456789abcdefghijklmn"));
    for (String bad : List.of("/etc/os-release", "../x", "..", "a/b", "", "A1", "x.log")) {
      InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> f.logFile(bad), bad);
      assertEquals("task id: must be a task id: 1 to 64 characters of [0-9a-z]", e.getMessage());
      assertThrows(InvalidRequestException.class, () -> f.stateDir(bad), bad);
    }
  }

  @Test
  void aFolderNamedLikeNoTaskIsNoLeftover() throws Exception {
    TaskFolders f = new TaskFolders(dir.resolve("logs"), dir.resolve("tasks"));
    Files.createDirectories(dir.resolve("tasks/abc123"));
    Files.createDirectories(dir.resolve("tasks/Not.A.Task"));
    assertEquals(List.of("abc123"), f.withStateFolder());
  }
}
