package meshplane.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import meshplane.netlink.NetNamespace;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Bad input is refused with the field and the rule, exit status 2, and nothing is made. */
@Tag("unit")
class MeshctlTest {
  record Run(int status, String out, String err) {}

  /** meshctl in this process, its output and errors captured: the runner every CLI test uses. */
  static Run meshctl(String... args) {
    CommandLine cl = Meshctl.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int status = cl.execute(args);
    return new Run(status, out.toString(), err.toString());
  }

  @Test
  void nodesOutOfRangeIsRefusedAndNothingIsMade() {
    Run r = meshctl("lab", "up", "--nodes", "0", "--name", "tbad");
    assertEquals(2, r.status());
    assertTrue(r.err().contains("--nodes 0 must be between 1 and 50"), r.err());
    assertTrue(NetNamespace.listWithPrefix("mp-tbad-").isEmpty());
  }

  @Test
  void badLabNameIsRefused() {
    Run r = meshctl("lab", "up", "--name", "Has Space");
    assertEquals(2, r.status());
    assertTrue(r.err().contains("lab name \"Has Space\""), r.err());
  }

  @Test
  void notANumberIsAParseError() {
    Run r = meshctl("lab", "up", "--nodes", "three");
    assertEquals(2, r.status());
    assertTrue(r.err().contains("--nodes"), r.err());
  }

  @Test
  void helpListsTheLabCommands() {
    Run r = meshctl("lab", "--help");
    assertEquals(0, r.status());
    for (String sub : new String[] {"up", "ls", "exec", "down"}) {
      assertTrue(r.out().contains(sub), r.out());
    }
  }

  @Test
  void labWithoutASubcommandSaysWhichThereAre() {
    Run r = meshctl("lab");
    assertEquals(2, r.status());
    assertTrue(r.err().contains("a subcommand is missing: up, ls, exec or down"), r.err());
  }

  @Test
  void lsOfALabThatIsNotUpSaysHowToStartIt() {
    Run r = meshctl("lab", "ls", "--name", "tnone");
    assertEquals(1, r.status());
    assertTrue(r.err().contains("lab tnone is not up: run meshctl lab up --nodes N --name tnone"), r.err());
  }
}
