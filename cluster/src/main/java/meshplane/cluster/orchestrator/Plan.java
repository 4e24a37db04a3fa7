package meshplane.cluster.orchestrator;

import java.util.List;
import java.util.Set;
import meshplane.cluster.model.Command;

/**
 * One orchestration round's outcome: the {@code commands} to write, in order (none when what was
 * looked at has converged), and the services to look at again next round although nothing may
 * change in the state meanwhile ({@code recheck}: a restart waiting for its delay).
 */
public record Plan(List<Command> commands, Set<String> recheck) {
  public Plan {
    commands = List.copyOf(commands);
    recheck = Set.copyOf(recheck);
  }
}
