package meshplane.node.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class TaskPidFileTest {
  @TempDir
  Path dir;

  @Test
  void roundTripsAndReadsAsWritten() throws Exception {
    new TaskPidFile(4242, 987654).write(dir);
    assertEquals("pid=4242\nstartTime=987654\n", Files.readString(dir.resolve("pid")));
    assertEquals(Optional.of(new TaskPidFile(4242, 987654)), TaskPidFile.read(dir));
  }

  @Test
  void noFileIsEmptyAndABadOneNamesItself() throws Exception {
    assertEquals(Optional.empty(), TaskPidFile.read(dir));
    Files.writeString(dir.resolve("pid"), "pid=abc\n");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> TaskPidFile.read(dir));
    assertTrue(e.getMessage().contains(dir.resolve("pid").toString()), e.getMessage());
  }

  @Test
  void theStartTimeIsThatOfProcStat() {
    long self = ProcessHandle.current().pid();
    assertTrue(TaskProcesses.startTime(self).orElseThrow() > 0);
    assertTrue(TaskProcesses.startTime(Integer.MAX_VALUE).isEmpty());
  }
}
