package meshplane.node.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ended tasks' logs beyond the newest few are removed, rotated files with them; live tasks' logs are kept. */
@Tag("unit")
class TaskLogRetentionTest {
  @TempDir
  Path dir;

  private Path log(String name, long minutesAgo) throws Exception {
    Path f = dir.resolve(name);
    Files.writeString(f, "x\n");
    Files.setLastModifiedTime(f, FileTime.fromMillis(System.currentTimeMillis() - minutesAgo * 60_000));
    return f;
  }

  @Test
  void theNewestEndedLogsAndEveryLiveOneStay() throws Exception {
    log("aaaaaaaaaaaaaaaaaaaaaaaaa.log", 1); // ended, newest
    log("bbbbbbbbbbbbbbbbbbbbbbbbb.log", 5); // ended
    log("bbbbbbbbbbbbbbbbbbbbbbbbb.log.1", 6);
    log("ccccccccccccccccccccccccc.log", 10); // ended, oldest: goes
    log("ccccccccccccccccccccccccc.log.1", 11);
    log("ccccccccccccccccccccccccc.log.2", 12);
    log("ddddddddddddddddddddddddd.log", 60); // live: stays however old
    Files.writeString(dir.resolve("not-a-task.txt"), "");
    assertEquals(1, TaskLogRetention.prune(dir, Set.of("ddddddddddddddddddddddddd"), 2));
    try (var l = Files.list(dir)) {
      assertEquals(Set.of("aaaaaaaaaaaaaaaaaaaaaaaaa.log", "bbbbbbbbbbbbbbbbbbbbbbbbb.log", "bbbbbbbbbbbbbbbbbbbbbbbbb.log.1",
          "ddddddddddddddddddddddddd.log", "not-a-task.txt"), Set.copyOf(l.map(p -> p.getFileName().toString()).toList()));
    }
    assertEquals(0, TaskLogRetention.prune(dir, Set.of(), 3), "within the limit: nothing goes");
    assertTrue(TaskLogRetention.prune(dir.resolve("none"), Set.of(), 0) == 0, "no folder yet");
  }
}
