package meshplane.node.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class TaskLogsTest {
  @TempDir
  Path dir;

  @Test
  void tailGivesTheLastLines() throws IOException {
    Path log = dir.resolve("task.log");
    Files.writeString(log, "one\ntwo\nthree\n");
    assertEquals(List.of("two", "three"), TaskLogs.tail(log, 2));
    assertEquals(List.of("one", "two", "three"), TaskLogs.tail(log, 10));
    assertEquals(List.of("one", "two", "three"), TaskLogs.tail(log, -1));
    assertEquals(List.of(), TaskLogs.tail(log, 0));
  }

  @Test
  void aLastLineWithoutNewlineIsALineAndEmptyLinesCount() throws IOException {
    Path log = dir.resolve("task.log");
    Files.writeString(log, "a\n\nb\npartial");
    assertEquals(List.of("b", "partial"), TaskLogs.tail(log, 2));
    assertEquals(List.of("", "b", "partial"), TaskLogs.tail(log, 3));
  }

  @Test
  void aMissingLogIsEmpty() {
    assertEquals(List.of(), TaskLogs.tail(dir.resolve("none.log"), 5));
  }

  @Test
  void tailReadsAcrossChunksAndKeepsMultibyteCharacters() throws IOException {
    Path log = dir.resolve("task.log");
    List<String> lines = IntStream.range(0, 3000).mapToObj(i -> i + " é€ " + "x".repeat(i % 50)).toList();
    String longLine = "ü".repeat(8_000); // 16,000 bytes: under the line cap
    List<String> all = new ArrayList<>(lines);
    all.add(longLine);
    all.add("end");
    Files.writeString(log, String.join("\n", all) + "\n", StandardCharsets.UTF_8);
    assertEquals(all.subList(all.size() - 1001, all.size()), TaskLogs.tail(log, 1001));
    assertEquals(List.of(longLine, "end"), TaskLogs.tail(log, 2));
    assertEquals(all, TaskLogs.tail(log, -1));
  }

  @Test
  void followGivesEveryLineWrittenUntilTheTaskEnds() throws Exception {
    Path log = dir.resolve("task.log");
    Files.writeString(log, "before\n");
    Follower follower = new Follower(log, Files.size(log));
    Thread.sleep(300);
    List<String> written = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String line = "line " + i;
      append(log, i % 2 == 0 ? line + "\n" : line.substring(0, 3));
      if (i % 2 != 0) {
        Thread.sleep(60);
        append(log, line.substring(3) + "\n");
      }
      written.add(line);
      Thread.sleep(30);
    }
    append(log, "last words without newline");
    written.add("last words without newline");
    follower.stop();
    assertEquals(written, follower.lines);
  }

  @Test
  void followWaitsForALogThatDoesNotExistYet() throws Exception {
    Path log = dir.resolve("later.log");
    Follower follower = new Follower(log, 0);
    Thread.sleep(300);
    append(log, "hello\n");
    Thread.sleep(500);
    assertEquals(List.of("hello"), follower.lines, "given while still running");
    follower.stop();
    assertEquals(List.of("hello"), follower.lines);
  }

  @Test
  void tailAndFollowLosesAndDoublesNothing() throws Exception {
    Path log = dir.resolve("task.log");
    Files.writeString(log, "1\n2\n3\n");
    AtomicBoolean running = new AtomicBoolean(true);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CompletableFuture<Void> follower =
        CompletableFuture.runAsync(() -> TaskLogs.tailAndFollow(log, 2, out, running::get));
    // lines keep coming while the follower takes its tail and starts following
    for (int i = 4; i <= 60; i++) {
      append(log, i + "\n");
      Thread.sleep(5);
    }
    running.set(false);
    follower.get(10, TimeUnit.SECONDS);
    List<Integer> got = out.toString(StandardCharsets.UTF_8).lines().map(Integer::parseInt).toList();
    int first = got.get(0);
    assertEquals(IntStream.rangeClosed(first, 60).boxed().toList(), got, "consecutive, ending with the last");
    assertTrue(first >= 2, "the tail is at most 2 lines before the follower started: " + got);
  }

  @Test
  void aTruncatedLogIsFollowedFromItsStart() throws Exception {
    Path log = dir.resolve("task.log");
    Files.writeString(log, "old line one\nold line two\n");
    Follower follower = new Follower(log, Files.size(log));
    Thread.sleep(300);
    Files.writeString(log, "new\n");
    Thread.sleep(500);
    follower.stop();
    assertEquals(List.of("new"), follower.lines, "after truncation");
  }

  /** {@link TaskLogs#follow} from {@code from} on its own thread, collecting the lines, until stopped. */
  private static final class Follower {
    final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final CompletableFuture<Void> done;

    Follower(Path log, long from) {
      done = CompletableFuture.runAsync(() -> TaskLogs.follow(log, from, lines::add, running::get));
    }

    /** The task ends: the follow returns, within 10 s. */
    void stop() throws Exception {
      running.set(false);
      done.get(10, TimeUnit.SECONDS);
    }
  }

  private static void append(Path log, String text) throws IOException {
    Files.writeString(log, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }
}
