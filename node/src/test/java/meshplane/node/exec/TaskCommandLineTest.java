package meshplane.node.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import meshplane.whoami.WhoamiJvm;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class TaskCommandLineTest {
  private static final AgentJvm JAVA = new AgentJvm("/jvm/bin/java", "/a.jar:/b");
  private static final TaskCommandLine.Tools TOOLS =
      new TaskCommandLine.Tools("/usr/bin/setsid", "/usr/bin/nsenter", "/usr/bin/unshare", "/usr/bin/mount", "/usr/bin");

  @Test
  void whoamiRunsOnTheAgentsJvmWithPort80ByDefault() {
    List<String> expected = new ArrayList<>(List.of("/jvm/bin/java", "-cp", "/a.jar:/b"));
    expected.addAll(WhoamiJvm.FLAGS);
    expected.addAll(List.of("meshplane.whoami.Whoami", "--port", "80"));
    assertEquals(expected, TaskProgram.resolve("meshplane/whoami", List.of(), Map.of(), JAVA).argv());
    List<String> withArgs = TaskProgram.resolve("meshplane/whoami:latest", List.of("--port", "8080", "--name", "x"),
        Map.of(), JAVA).argv();
    assertEquals(List.of("meshplane.whoami.Whoami", "--port", "8080", "--name", "x"),
        withArgs.subList(withArgs.size() - 5, withArgs.size()));
    assertTrue(WhoamiJvm.FLAGS.stream().anyMatch(f -> f.startsWith("-Xmx")), "a bounded heap: " + WhoamiJvm.FLAGS);
  }

  @Test
  void builtinImagesAreFoundByRepositoryWithAnyTagOnly() {
    assertEquals(BuiltinImages.WHOAMI, BuiltinImages.find("meshplane/whoami").orElseThrow());
    assertEquals(BuiltinImages.WHOAMI, BuiltinImages.find("meshplane/whoami:1.2").orElseThrow());
    for (String other : List.of("meshplane/whoamix", "meshplane/who", "other/meshplane/whoami", "whoami")) {
      assertTrue(BuiltinImages.find(other).isEmpty(), other);
    }
  }

  @Test
  void anyOtherImageIsAProgramOnThePath() {
    List<String> argv = TaskProgram.resolve("sh", List.of("-c", "exit 3"), Map.of(), JAVA).argv();
    assertTrue(argv.get(0).startsWith("/") && argv.get(0).endsWith("/sh") && Files.isExecutable(Path.of(argv.get(0))),
        argv.toString());
    assertEquals(List.of("-c", "exit 3"), argv.subList(1, 3));
    assertEquals(List.of("/bin/sh"), TaskProgram.resolve("/bin/sh", List.of(), Map.of(), JAVA).argv());
  }

  @Test
  void anUnknownImageIsRefusedByName() {
    for (String image : List.of("nginx:latest", "no-such-program-here", "library/busybox", "./sh", "/no/such/bin")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> TaskProgram.resolve(image, List.of(), Map.of(), JAVA));
      assertTrue(e.getMessage().contains("'" + image + "'"), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> TaskProgram.resolve("sh", List.of(), Map.of("PATH", "/nowhere"), JAVA));
  }

  @Test
  void theCommandLinePassesValuesAsParametersNeverInTheScript() {
    TaskProgram program = new TaskProgram(List.of("/bin/echo", "a b", "$(reboot)", "'"));
    List<String> argv = TaskCommandLine.of(TOOLS, "nsA-0123456789", Path.of("/t/mnt"), "web.1.x", Path.of("/s/exit"),
        Path.of("/s/launch.pid"), new TaskCommandLine.TaskOutput(Path.of("/s/log.fifo"), Path.of("/l/t.log"), 5 << 20, 2),
        List.of(Path.of("/cg/memory/meshplane/t/cgroup.procs")), program);
    assertEquals(List.of("/usr/bin/setsid", "--fork", "/bin/sh", "-c", TaskCommandLine.LAUNCHER, "meshplane-launch",
        "/s/launch.pid", "/s/log.fifo", "/l/t.log", "5242880", "2", "/usr/bin", TaskCommandLine.LOG_WRITER, "1",
        "/cg/memory/meshplane/t/cgroup.procs", "/usr/bin/nsenter", "--net=/run/netns/nsA-0123456789", "--mount=/t/mnt", "--",
        "/usr/bin/unshare", "--uts", "--mount", "--pid", "--fork", "--kill-child", "--mount-proc",
        "--propagation", "private", "--", "/bin/sh", "-c", TaskCommandLine.SCRIPT, "meshplane-task", "web.1.x",
        "/s/exit", "/bin/echo", "a b", "$(reboot)", "'"), argv);
    assertTrue(TaskCommandLine.SCRIPT.contains("shift 2\n\"$@\"\n"), TaskCommandLine.SCRIPT);
    assertTrue(TaskCommandLine.LAUNCHER.endsWith("done\nexec \"$@\""), TaskCommandLine.LAUNCHER);
  }

  /** Runs the launcher as the executor does, without namespaces: {@code command} in place of nsenter... */
  private static Process launch(Path dir, long maxSize, int maxFile, List<Path> cgroupProcs, String... command)
      throws Exception {
    List<String> argv = new java.util.ArrayList<>(List.of("setsid", "/bin/sh", "-c", TaskCommandLine.LAUNCHER, "meshplane-launch",
        dir.resolve("launch.pid").toString(), dir.resolve("log.fifo").toString(), dir.resolve("t.log").toString(),
        String.valueOf(maxSize), String.valueOf(maxFile), TaskCommandLine.Tools.find(System.getenv("PATH")).path(),
        TaskCommandLine.LOG_WRITER, String.valueOf(cgroupProcs.size())));
    cgroupProcs.forEach(p -> argv.add(p.toString()));
    argv.addAll(List.of(command));
    return new ProcessBuilder(argv).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("t.log").toFile())).start();
  }

  private static void awaitWriterDone(Path dir) throws Exception {
    // the writer ends once the task's output is closed: the FIFO is gone and no writer holds the log
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline) {
      boolean writing = ProcessHandle.allProcesses().anyMatch(p -> p.info().arguments()
          .map(a -> java.util.Arrays.asList(a).contains(dir.resolve("t.log").toString())).orElse(false));
      if (!writing) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("the log writer of " + dir + " did not end");
  }

  @Test
  void theLauncherWritesItsPidAndExecsTheCommandInTheSameProcess(@TempDir Path dir) throws Exception {
    Process p = launch(dir, 1 << 20, 3, List.of(), "/bin/sh", "-c", "echo \"$$\"; echo oops >&2; exit 7");
    assertEquals(7, p.waitFor());
    awaitWriterDone(dir);
    assertEquals(p.pid() + "\n", Files.readString(dir.resolve("launch.pid")), "the launcher's pid, as a whole line");
    assertEquals(p.pid() + "\noops\n", Files.readString(dir.resolve("t.log")),
        "the command runs in the launcher's process, stdout and stderr through the writer");
    assertTrue(Files.notExists(dir.resolve("log.fifo")), "the FIFO is removed once open");
  }

  @Test
  void theLogWriterRotatesByteExactAndKeepsMaxFileFiles(@TempDir Path dir) throws Exception {
    // 50 lines of 100 bytes (5,000 bytes) into files of 1,024 bytes, 3 kept: .2 .1 and the current one
    Process p = launch(dir, 1024, 3, List.of(), "/bin/sh", "-c",
        "i=0; while [ $i -lt 50 ]; do printf '%099d\\n' $i; i=$((i+1)); done");
    assertEquals(0, p.waitFor());
    awaitWriterDone(dir);
    Path log = dir.resolve("t.log");
    assertEquals(1024, Files.size(TaskLogFiles.rotated(log, 1)));
    assertEquals(1024, Files.size(TaskLogFiles.rotated(log, 2)));
    assertEquals(5000 - 4 * 1024, Files.size(log), "the current file holds what is left");
    assertTrue(Files.notExists(TaskLogFiles.rotated(log, 3)), "no fourth file");
    // read back as one stream: the newest lines last, a line cut by a rotation whole
    List<String> tail = TaskLogs.tail(log, -1);
    assertEquals(String.format("%099d", 49), tail.get(tail.size() - 1));
    int first = Integer.parseInt(tail.get(1)); // the first line is the cut end of an older one
    for (int i = 1; i < tail.size(); i++) {
      assertEquals(String.format("%099d", first + i - 1), tail.get(i));
    }
    assertEquals(String.format("%099d", 40), TaskLogs.tail(log, 10).get(0));
  }

  @Test
  void theLogWriterWritesAtOnceAndSurvivesSigterm(@TempDir Path dir) throws Exception {
    Process p = launch(dir, 1 << 20, 2, List.of(), "/bin/sh", "-c", "trap 'echo bye; exit 0' TERM; echo hi; "
        + "while :; do sleep 0.05; done");
    Path log = dir.resolve("t.log");
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (!(Files.exists(log) && Files.readString(log).equals("hi\n")) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals("hi\n", Files.readString(log), "one short line reaches the file unbuffered");
    new ProcessBuilder("kill", "-TERM", "--", "-" + p.pid()).start().waitFor(); // the whole process group
    p.waitFor();
    awaitWriterDone(dir);
    String all = Files.readString(log);
    assertTrue(all.startsWith("hi\n") && all.endsWith("bye\n"), "the writer outlived the group's SIGTERM and took the last line: " + all);
  }

  @Test
  void theEnvironmentIsTheServicesWithPathHostnameAndTheMarker() {
    TaskLaunch launch = new TaskLaunch("t0123456789abcdefghijklmn", "web.1.t012345678", "ns", "sh", List.of(),
        Map.of("A", "1", "MESHPLANE_TASK", "forged"), Path.of("/l"), Path.of("/s"));
    assertEquals(Map.of("A", "1", "PATH", TaskProgram.DEFAULT_PATH, "HOSTNAME", "web.1.t012345678",
        "MESHPLANE_TASK", "t0123456789abcdefghijklmn"), ProcessExecutor.environment(launch));
    TaskLaunch ownPath = new TaskLaunch("t", "n", "ns", "sh", List.of(), Map.of("PATH", "/opt/bin"), Path.of("/l"),
        Path.of("/s"));
    assertEquals("/opt/bin", ProcessExecutor.environment(ownPath).get("PATH"));
  }
}
