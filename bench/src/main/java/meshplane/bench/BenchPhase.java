package meshplane.bench;

import java.io.PrintStream;
import java.util.List;

/** One part of scripts/bench-control.sh: it prints a line per figure and returns the goals it judged. */
interface BenchPhase {
  String title();

  List<Goal> run(ControlLab lab, ControlOptions options, PrintStream out);

  /** The goals of this phase when it could not be measured, each saying why. */
  List<Goal> notMeasured(String reason);
}
