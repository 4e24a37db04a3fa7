package meshplane.node.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import meshplane.cluster.model.LogOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A task log's rotation (policy, Java writer) and its reading across rotated files, with the line cap. */
@Tag("unit")
class TaskLogRotationTest {
  @TempDir
  Path dir;

  @Test
  void aLineOverTheCapIsSplitIntoPiecesOfTheCapNeverInsideACharacter() {
    List<String> lines = new ArrayList<>();
    LogLines l = new LogLines(lines::add);
    String ascii = "a".repeat(LogLines.MAX_LINE * 2 + 5);
    l.accept(ByteBuffer.wrap((ascii + "\nshort\n").getBytes(StandardCharsets.UTF_8)));
    assertEquals(List.of("a".repeat(LogLines.MAX_LINE), "a".repeat(LogLines.MAX_LINE), "aaaaa", "short"), lines);
    lines.clear();
    // one ASCII byte, then 3-byte characters: the cap falls inside one, which then opens the next piece
    String wide = "x" + "€".repeat(LogLines.MAX_LINE / 3 + 10);
    l.accept(ByteBuffer.wrap((wide + "\n").getBytes(StandardCharsets.UTF_8)));
    assertEquals(2, lines.size());
    assertTrue(lines.get(0).getBytes(StandardCharsets.UTF_8).length <= LogLines.MAX_LINE);
    assertEquals(wide, lines.get(0) + lines.get(1), "no character lost or broken");
    assertTrue(!lines.get(0).contains("\uFFFD") && !lines.get(1).contains("\uFFFD"), "no replacement character");
  }

  @Test
  void tailAndFollowGiveALineOf40KiBAsPiecesOf16KiB() throws Exception {
    Path log = dir.resolve("t.log");
    Files.writeString(log, "y".repeat(40 * 1024) + "\nend\n");
    assertEquals(List.of("y".repeat(16_384), "y".repeat(16_384), "y".repeat(8_192), "end"), TaskLogs.tail(log, -1));
    List<String> followed = new ArrayList<>();
    TaskLogs.follow(log, 0, followed::add, () -> false);
    assertEquals(List.of(16_384, 16_384, 8_192, 3), followed.stream().map(String::length).toList());
  }

  @Test
  void aLineOfTheCapExactlyIsOneLine() {
    List<String> lines = new ArrayList<>();
    new LogLines(lines::add).accept(ByteBuffer.wrap(("b".repeat(LogLines.MAX_LINE) + "\n").getBytes(StandardCharsets.UTF_8)));
    assertEquals(List.of("b".repeat(LogLines.MAX_LINE)), lines);
  }

  @Test
  void tailReadsTheRotatedFilesOldestFirstAndJoinsALineCutByARotation() throws IOException {
    Path log = dir.resolve("t.log");
    Files.writeString(TaskLogFiles.rotated(log, 2), "one\ntw");
    Files.writeString(TaskLogFiles.rotated(log, 1), "o\nthree\n");
    Files.writeString(log, "four\nfi");
    assertEquals(List.of("one", "two", "three", "four", "fi"), TaskLogs.tail(log, -1));
    assertEquals(List.of("two", "three", "four", "fi"), TaskLogs.tail(log, 4));
    assertEquals(List.of("fi"), TaskLogs.tail(log, 1));
    Files.writeString(log, "");
    assertEquals(List.of("three"), TaskLogs.tail(log, 1), "an empty current file: the newest line is in .1");
  }

  @Test
  void tailOfAHugeLogHoldsOnlyWhatItGives() throws IOException {
    Path log = dir.resolve("t.log");
    byte[] mb = ("x".repeat(1023) + "\n").repeat(1024).getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < 64; i++) {
      Files.write(log, mb, StandardOpenOption.CREATE, StandardOpenOption.APPEND); // 64 MiB, 65,536 lines
    }
    Files.writeString(log, "last\n", StandardOpenOption.APPEND);
    int[] count = {0};
    TaskLogs.tail(log, -1, line -> count[0]++);
    assertEquals(65_537, count[0], "every line streamed to the sink");
    assertEquals(List.of("last"), TaskLogs.tail(log, 1));
  }

  @Test
  void theJavaWriterKeepsMaxSizeTimesMaxFileAndTheNewestLines() throws IOException {
    Path log = dir.resolve("t.log");
    try (RotatingLogWriter w = new RotatingLogWriter(log, new LogOptions(1000L, 3))) {
      for (int i = 0; i < 250; i++) { // 10 bytes a line
        w.write(String.format("%09d\n", i).getBytes(StandardCharsets.UTF_8));
      }
    }
    assertEquals(List.of(TaskLogFiles.rotated(log, 2), TaskLogFiles.rotated(log, 1), log), TaskLogFiles.oldestFirst(log));
    assertEquals(1000, Files.size(TaskLogFiles.rotated(log, 1)));
    assertEquals(1000, Files.size(TaskLogFiles.rotated(log, 2)));
    assertEquals(500, Files.size(log));
    List<String> all = TaskLogs.tail(log, -1);
    assertEquals(IntStream.range(0, 250).mapToObj(i -> String.format("%09d", i)).toList(), all,
        "2,500 bytes in files of 1,000: every line, in order, the ones cut by a rotation whole");
  }

  @Test
  void theJavaWriterDropsTheOldestFileBeyondMaxFile() throws IOException {
    Path log = dir.resolve("t.log");
    try (RotatingLogWriter w = new RotatingLogWriter(log, new LogOptions(1024L, 2))) {
      for (int i = 0; i < 1000; i++) {
        w.write(String.format("%09d\n", i).getBytes(StandardCharsets.UTF_8)); // 10,000 bytes
      }
    }
    assertEquals(List.of(TaskLogFiles.rotated(log, 1), log), TaskLogFiles.oldestFirst(log));
    assertTrue(Files.size(log) + Files.size(TaskLogFiles.rotated(log, 1)) <= 2048);
    List<String> tail = TaskLogs.tail(log, 3);
    assertEquals(List.of("000000997", "000000998", "000000999"), tail, "the newest lines last");
  }

  @Test
  void withOneFileTheLogIsStartedAgain() throws IOException {
    Path log = dir.resolve("t.log");
    try (RotatingLogWriter w = new RotatingLogWriter(log, new LogOptions(1024L, 1))) {
      w.write("a".repeat(1024).getBytes(StandardCharsets.UTF_8));
      w.write("b\n".getBytes(StandardCharsets.UTF_8));
    }
    assertEquals("b\n", Files.readString(log));
    assertEquals(List.of(log), TaskLogFiles.oldestFirst(log));
  }

  @Test
  void followGoesOnIntoTheNewFileAfterARotationLosingNothing() throws Exception {
    Path log = dir.resolve("t.log");
    Files.writeString(log, "old\n");
    List<String> lines = Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean running = new AtomicBoolean(true);
    CompletableFuture<Void> done = CompletableFuture.runAsync(() -> TaskLogs.follow(log, 0, lines::add, running::get));
    Thread.sleep(300);
    try (RotatingLogWriter w = new RotatingLogWriter(log, new LogOptions(1024L, 2))) {
      for (int i = 0; i < 300; i++) {
        w.write(String.format("line %04d\n", i).getBytes(StandardCharsets.UTF_8)); // 10 bytes: three rotations
        if (i % 50 == 0) {
          Thread.sleep(250); // a poll in between, so each rotation is seen
        }
      }
    }
    Thread.sleep(500);
    running.set(false);
    done.get(10, TimeUnit.SECONDS);
    List<String> want = new ArrayList<>(List.of("old"));
    IntStream.range(0, 300).forEach(i -> want.add(String.format("line %04d", i)));
    assertEquals(want, lines);
  }
}
