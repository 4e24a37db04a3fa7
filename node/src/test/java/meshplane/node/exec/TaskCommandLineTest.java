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
      new TaskCommandLine.Tools("/usr/bin/setsid", "/usr/bin/nsenter", "/usr/bin/unshare", "/usr/bin/mount");

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
        Path.of("/s/launch.pid"), program);
    assertEquals(List.of("/usr/bin/setsid", "--fork", "/bin/sh", "-c", TaskCommandLine.LAUNCHER, "meshplane-launch",
        "/s/launch.pid", "/usr/bin/nsenter", "--net=/run/netns/nsA-0123456789", "--mount=/t/mnt", "--",
        "/usr/bin/unshare", "--uts", "--mount", "--pid", "--fork", "--kill-child", "--mount-proc",
        "--propagation", "private", "--", "/bin/sh", "-c", TaskCommandLine.SCRIPT, "meshplane-task", "web.1.x",
        "/s/exit", "/bin/echo", "a b", "$(reboot)", "'"), argv);
    assertTrue(TaskCommandLine.SCRIPT.contains("shift 2\n\"$@\"\n"), TaskCommandLine.SCRIPT);
    assertTrue(TaskCommandLine.LAUNCHER.endsWith("shift\nexec \"$@\""), TaskCommandLine.LAUNCHER);
  }

  @Test
  void theLauncherWritesItsPidAndExecsTheCommandInTheSameProcess(@TempDir Path dir) throws Exception {
    Path pidFile = dir.resolve("launch.pid");
    Process p = new ProcessBuilder("/bin/sh", "-c", TaskCommandLine.LAUNCHER, "meshplane-launch", pidFile.toString(),
        "/bin/sh", "-c", "echo \"$$\"; exit 7").redirectErrorStream(true).start();
    String printed = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(7, p.waitFor(), printed);
    assertEquals(p.pid() + "\n", Files.readString(pidFile), "the launcher's pid, as a whole line");
    assertEquals(p.pid() + "\n", printed, "the command runs in the launcher's process");
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
