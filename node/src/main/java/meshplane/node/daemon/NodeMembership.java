package meshplane.node.daemon;

import java.util.List;
import java.util.function.BiFunction;
import meshplane.pki.LiveCredentials;
import meshplane.cluster.manager.Manager;
import meshplane.node.agent.Agent;

/**
 * The node's part in a swarm as it stands: what it remembers ({@link LocalNodeState}, saved on
 * every change), its manager while it is one, and its agent while it is in a swarm. The join
 * protocol and the role changes change it while holding its lock, one at a time; the routes read
 * it without.
 */
final class NodeMembership {
  private final NodeStateStore store;
  private final NodeCertificates certificates;
  private final SwarmPort port;
  private final BiFunction<LocalNodeState, LiveCredentials, Agent> agents;
  private volatile LocalNodeState local;
  private volatile LiveCredentials credentials;
  private volatile Manager manager;
  private volatile Agent agent;

  NodeMembership(NodeStateStore store, NodeCertificates certificates, SwarmPort port,
      BiFunction<LocalNodeState, LiveCredentials, Agent> agents) {
    this.store = store;
    this.certificates = certificates;
    this.port = port;
    this.agents = agents;
  }

  LocalNodeState local() {
    return local;
  }

  /** The node's credentials while it is in a swarm, else null. */
  LiveCredentials credentials() {
    return credentials;
  }

  Manager manager() {
    return manager;
  }

  Agent agent() {
    return agent;
  }

  /** The managers the agent calls (those of the last assignment), or none outside a swarm. */
  List<String> managers() {
    Agent a = agent;
    return a == null ? List.of() : a.managers();
  }

  /**
   * The node joined a swarm (init or join) and holds its certificate: remembered, the swarm port
   * opened, its manager kept (null for a worker), its agent started.
   */
  synchronized void joined(LocalNodeState s, LiveCredentials c, Manager m) {
    store.save(s);
    certificates.save(c.credentials());
    resumed(s, c, m);
  }

  /** The node is in the swarm it remembered when it started. */
  synchronized void resumed(LocalNodeState s, LiveCredentials c, Manager m) {
    local = s;
    credentials = c;
    port.open(c);
    manager = m;
    agent = agents.apply(s, c);
  }

  /** A new certificate (renewed, or re-issued for a new role): saved, and presented from the next handshake. */
  synchronized void renewed(meshplane.pki.NodeCredentials next) {
    credentials.replace(next); // first: credentials TLS cannot use are never saved
    certificates.save(next);
  }

  /** A new role or a new list of managers, as the node's assignment says. */
  synchronized void remember(LocalNodeState s) {
    store.save(s);
    local = s;
  }

  /** The node became a manager (promotion), or its manager was restarted from its data (null: that failed). */
  synchronized void managerStarted(Manager m) {
    manager = m;
  }

  /** The node is no manager any more (demotion): its manager stops and its Raft data goes. */
  synchronized void managerStopped() {
    Manager m = manager;
    manager = null;
    if (m != null) {
      m.close();
    }
    store.deleteRaft();
  }

  /**
   * Stops the agent (and with it the tasks; {@code leaving}: the node's data plane too) and the
   * manager; the node is in no swarm any more as far as this run is concerned.
   */
  synchronized void stop(boolean leaving) {
    Agent a = agent;
    agent = null;
    if (a != null) {
      if (leaving) {
        a.leave();
      }
      a.close();
    }
    Manager m = manager;
    manager = null;
    if (m != null) {
      m.close();
    }
    port.close();
    local = null;
    credentials = null;
  }
}
