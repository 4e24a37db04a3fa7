package meshplane.e2e;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import meshplane.cli.Meshctl;
import picocli.CommandLine;

/**
 * A legitimate user in a process of its own (so the attacker's JVM, its threads and its garbage
 * collections are not in the measure): {@code meshctl node ls} with the given flags every 200 ms
 * for at most {@code SECONDS}, one line per call on standard output: {@code <epoch ms> <ms taken>
 * <exit status> ok|bad} ("ok" when node1 is listed).
 * <pre>java -cp ... meshplane.e2e.NodeLsProbe SECONDS [meshctl flags...]</pre>
 */
public final class NodeLsProbe {
  private NodeLsProbe() {}

  public static void main(String[] args) throws InterruptedException {
    long end = System.currentTimeMillis() + Long.parseLong(args[0]) * 1000;
    String[] argv = new String[args.length + 1];
    argv[0] = "node";
    argv[1] = "ls";
    System.arraycopy(args, 1, argv, 2, args.length - 1);
    argv = Arrays.copyOf(argv, args.length + 1);
    while (System.currentTimeMillis() < end) {
      long t0 = System.nanoTime();
      CommandLine cl = Meshctl.commandLine();
      StringWriter out = new StringWriter();
      cl.setOut(new PrintWriter(out, true));
      cl.setErr(new PrintWriter(new StringWriter(), true));
      int rc = cl.execute(argv);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      System.out.println(System.currentTimeMillis() + " " + ms + " " + rc + " " + (rc == 0 && out.toString().contains("node1")
          ? "ok" : "bad"));
      System.out.flush();
      Thread.sleep(Math.max(0, 200 - ms));
    }
  }
}
