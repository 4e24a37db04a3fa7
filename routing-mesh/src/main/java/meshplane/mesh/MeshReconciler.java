package meshplane.mesh;

import meshplane.mesh.names.MeshNames;
import java.util.ArrayList;
import java.util.List;
import meshplane.dataplane.DataplaneState;
import meshplane.dataplane.InvalidStateException;
import meshplane.dataplane.ServiceSpec;
import meshplane.dataplane.StateValidator;
import meshplane.mesh.lb.LbMode;
import meshplane.mesh.lb.LbTables;
import meshplane.mesh.lb.MeshPlan;
import meshplane.netlink.NetNamespace;
import meshplane.vxlan.VtepHost;

/**
 * One node's Swarm networking, reconciled from its desired {@link DataplaneState} in three
 * steps: the state is validated, planned ({@link MeshPlan}, pure) and programmed
 * ({@link MeshProgrammer}, which reads what the kernel has and changes only the difference;
 * {@link ObservedState} reads the whole back). Running {@link #apply} twice changes nothing and
 * a restarted process picks up where the last one stopped without touching live flows.
 * {@link #updateService} changes one service alone, at a cost that does not depend on how many
 * services there are.
 */
public final class MeshReconciler implements AutoCloseable {
  private final VtepHost host;
  private final LbMode loadBalancer;
  private final MeshProgrammer kernel;
  /** The state last applied, without its services (they are in {@link #services}). */
  private DataplaneState applied;
  private final AppliedServices services = new AppliedServices();
  private int chains = LbTables.MIN_CHAINS;

  /** A reconciler for {@code host} with the load balancer {@code lb} (already resolved: see {@link LbMode#resolve}). */
  public MeshReconciler(VtepHost host, LbMode lb) {
    if (lb == LbMode.AUTO) {
      throw new IllegalArgumentException("resolve --lb auto first (LbMode.resolve)");
    }
    this.host = host;
    this.loadBalancer = lb;
    this.kernel = new MeshProgrammer(host, lb);
  }

  public String loadBalancer() {
    return loadBalancer.describe();
  }

  public VtepHost host() {
    return host;
  }

  /** The state last applied by this process (built on each call), or null before the first {@link #apply}. */
  public DataplaneState applied() {
    return applied == null ? null : applied.withServices(services.all());
  }

  /** The applied service named {@code name}, or null. */
  public ServiceSpec appliedService(String name) {
    return services.get(name);
  }

  /** Makes the node's data plane what {@code desired} says; returns what was done, one line per step that changed something. */
  public ApplyReport apply(DataplaneState desired) {
    ApplyReport report = new ApplyReport();
    StateValidator.check(desired);
    checkNamespaces(desired);
    report.phase("validate");
    MeshPlan plan = new MeshPlan(host.namespace(), desired, loadBalancer);
    kernel.programAll(desired, plan, report);
    applied = desired.withServices(List.of());
    chains = plan.chains();
    services.replaceAll(desired.services());
    return report;
  }

  /**
   * Adds, changes or (with {@code service} absent from the state, see {@link #removeService})
   * removes one service against the state last applied: its VIP addresses and its part of each
   * table, nothing else. The service is checked with the applied networks and against the other
   * services' marks, VIPs and published ports; a bad one changes nothing.
   */
  public int updateService(ServiceSpec service) {
    requireApplied();
    StateValidator.check(new DataplaneState(applied.node(), applied.underlay(), applied.networks(), List.of(), List.of(),
        List.of(service)));
    List<String> problems = services.conflicts(service);
    if (!problems.isEmpty()) {
      throw new InvalidStateException(problems);
    }
    return changeService(services.get(service.name()), service);
  }

  /** Removes a service applied before; false if there was none of that name. */
  public boolean removeService(String name) {
    requireApplied();
    ServiceSpec old = services.get(name);
    if (old == null) {
      return false;
    }
    changeService(old, null);
    return true;
  }

  private int changeService(ServiceSpec old, ServiceSpec now) {
    int changes = 0;
    int need = Math.max(chains, LbTables.chainsFor(now == null ? List.of() : List.of(now)));
    if (need > chains) { // a service with more backends than there are balancing chains: grow the skeletons first
      changes += kernel.growChains(new MeshPlan(host.namespace(), applied, loadBalancer, chains),
          new MeshPlan(host.namespace(), applied, loadBalancer, need));
      chains = need;
    }
    changes += kernel.programService(new MeshPlan(host.namespace(), applied, loadBalancer, chains), old, now);
    if (old != null) {
      services.forget(old);
    }
    if (now != null) {
      services.remember(now);
    }
    return changes;
  }

  private void requireApplied() {
    if (applied == null) {
      throw new IllegalStateException("no state applied on " + host.namespace() + " yet: apply a whole state first");
    }
  }

  /** Task namespaces must exist, or be the node's own (named {@code <node>-...}), which are created. */
  private void checkNamespaces(DataplaneState s) {
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < s.endpoints().size(); i++) {
      String ns = s.endpoints().get(i).namespace();
      if (!NetNamespace.exists(ns) && !ns.startsWith(MeshNames.nodePrefix(host.namespace()))) {
        problems.add("endpoints[" + i + "].namespace: \"" + ns + "\" does not exist, and only namespaces named "
            + MeshNames.nodePrefix(host.namespace()) + "... are created for tasks");
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidStateException(problems);
    }
  }

  /**
   * Removes everything the mesh made on the node: meshplane's table in the node's namespace,
   * the gateway bridge and its veth, and every namespace named {@code <node>-...} (network
   * sandboxes with their VXLAN devices, ingress_sbox, lb_ sandboxes, task namespaces it created).
   * Returns what was removed.
   */
  public List<String> reset() {
    List<String> removed = kernel.reset();
    applied = null;
    services.replaceAll(List.of());
    return removed;
  }

  @Override
  public void close() {
    kernel.close();
  }
}
