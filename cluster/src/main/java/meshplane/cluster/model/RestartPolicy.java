package meshplane.cluster.model;

/**
 * {@code --restart-condition none|on-failure|any}, {@code --restart-delay} (ms),
 * {@code --restart-max-attempts} (0: no limit), as Swarm's restart policy.
 */
public record RestartPolicy(String condition, long delayMillis, int maxAttempts) {
  public static final RestartPolicy DEFAULT = new RestartPolicy("any", 5_000, 0);
}
