package meshplane.cluster.orchestrator;

/**
 * Where new object ids come from (nodes, services, tasks): 25 characters of {@code [a-z0-9]}, as
 * Swarm's ids. An interface so planning stays pure: tests pass a predictable generator.
 */
public interface IdGenerator {
  /** A fresh id: 25 characters of {@code [a-z0-9]}. */
  String newId();
}
