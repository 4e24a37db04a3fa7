package meshplane.cluster.orchestrator;

import meshplane.dataplane.EndpointMode;
import meshplane.dataplane.PublishMode;
import meshplane.dataplane.Protocol;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import meshplane.cluster.model.Availability;
import meshplane.cluster.model.ClusterSettings;
import meshplane.cluster.model.ClusterState;
import meshplane.cluster.model.Command;
import meshplane.cluster.model.JoinTokens;
import meshplane.cluster.model.Network;
import meshplane.cluster.model.Node;
import meshplane.cluster.model.NodeRole;
import meshplane.cluster.model.NodeStatus;
import meshplane.cluster.model.PortConfig;
import meshplane.cluster.model.RestartPolicy;
import meshplane.cluster.model.Service;
import meshplane.cluster.model.ServiceMode;
import meshplane.cluster.model.ServiceSpec;
import meshplane.cluster.model.Task;
import meshplane.cluster.model.TaskReport;
import meshplane.cluster.model.TaskState;

/** Builders for cluster states in tests, and a tiny cluster that applies plans and plays the agents. */
final class Fixtures {
  private Fixtures() {}

  /** Predictable ids: {@code <letter><8 digits>} then filler, 25 characters, the first 9 unique. */
  static final class SeqIds implements IdGenerator {
    private final char letter;
    private int n;

    SeqIds(char letter) {
      this.letter = letter;
    }

    @Override
    public String newId() {
      n++;
      return letter + String.format("%08d", n) + "abcdefghijklmnop";
    }
  }

  static Node node(String hostname, int i) {
    return new Node("node" + i + "id0000000000000000000".substring(0, 20), hostname, i == 1 ? NodeRole.MANAGER : NodeRole.WORKER,
        Availability.ACTIVE, Map.of(), "198.18.0." + i, 2377, 2378, NodeStatus.READY, 4000, 8L << 30, 0);
  }

  /** An initialised cluster with {@code n} ready nodes (node1..nodeN, node1 the manager) and the ingress network. */
  static ClusterState cluster(int n) {
    ClusterState s = ClusterState.EMPTY.apply(new Command.Init("cluster1", new JoinTokens("w", "m"), null,
        ClusterSettings.DEFAULT, node("node1", 1), NetworkAllocator.ingress(0)), 1);
    for (int i = 2; i <= n; i++) {
      s = s.apply(new Command.PutNode(node("node" + i, i)), s.index() + 1);
    }
    return s;
  }

  static ServiceSpec spec(String name, int replicas, String... networks) {
    return new ServiceSpec(name, ServiceMode.REPLICATED, replicas, List.of(networks), List.of(), EndpointMode.VIP, List.of(),
        0, 0, Map.of(), "busybox", List.of("sleep", "1000"), new RestartPolicy("any", 0, 0), "process");
  }

  static ServiceSpec withPorts(ServiceSpec s, PortConfig... ports) {
    return s.withPorts(List.of(ports));
  }

  static ServiceSpec global(String name, String... networks) {
    ServiceSpec s = spec(name, 0, networks);
    return new ServiceSpec(s.name(), ServiceMode.GLOBAL, 0, s.networks(), s.ports(), s.endpointMode(), s.constraints(),
        s.cpus(), s.memory(), s.env(), s.image(), s.command(), s.restart(), s.executor());
  }

  static ServiceSpec withConstraints(ServiceSpec s, String... constraints) {
    return new ServiceSpec(s.name(), s.mode(), s.replicas(), s.networks(), s.ports(), s.endpointMode(), List.of(constraints),
        s.cpus(), s.memory(), s.env(), s.image(), s.command(), s.restart(), s.executor());
  }

  static ServiceSpec withReservations(ServiceSpec s, long cpus, long memory) {
    return new ServiceSpec(s.name(), s.mode(), s.replicas(), s.networks(), s.ports(), s.endpointMode(), s.constraints(),
        cpus, memory, s.env(), s.image(), s.command(), s.restart(), s.executor());
  }

  static ServiceSpec withRestart(ServiceSpec s, RestartPolicy r) {
    return new ServiceSpec(s.name(), s.mode(), s.replicas(), s.networks(), s.ports(), s.endpointMode(), s.constraints(),
        s.cpus(), s.memory(), s.env(), s.image(), s.command(), r, s.executor());
  }

  static ServiceSpec withImage(ServiceSpec s, String image) {
    return new ServiceSpec(s.name(), s.mode(), s.replicas(), s.networks(), s.ports(), s.endpointMode(), s.constraints(),
        s.cpus(), s.memory(), s.env(), image, s.command(), s.restart(), s.executor());
  }

  static ServiceSpec withEndpointMode(ServiceSpec s, EndpointMode mode) {
    return new ServiceSpec(s.name(), s.mode(), s.replicas(), s.networks(), s.ports(), mode, s.constraints(),
        s.cpus(), s.memory(), s.env(), s.image(), s.command(), s.restart(), s.executor());
  }

  static PortConfig tcp(int published, int target) {
    return new PortConfig(Protocol.TCP, published, target, PublishMode.INGRESS);
  }

  /**
   * A cluster in memory: commands applied in order as the Raft log would, the orchestrator run as
   * the leader runs it, and agents that start what they are given and stop what they are told.
   * {@code dirtyOnly}: each plan looks only at what the commands applied since the last one
   * touched ({@link Dirty#of}) and what it was asked to recheck, as the leader's loop does between
   * its full passes; else every plan is a full pass.
   */
  static final class Sim {
    ClusterState state;
    long now = 1_000_000;
    final IdGenerator ids = new SeqIds('t');
    final IdGenerator serviceIds = new SeqIds('s');
    final boolean dirtyOnly;
    Dirty dirty = Dirty.ALL;
    int rounds;

    Sim(ClusterState s) {
      this(s, false);
    }

    Sim(ClusterState s, boolean dirtyOnly) {
      state = s;
      this.dirtyOnly = dirtyOnly;
    }

    void apply(Command c) {
      state = state.apply(c, state.index() + 1);
      dirty = dirty.plus(Dirty.of(c, state));
    }

    Network network(String name) {
      Network n = NetworkAllocator.create(state, name, null, now);
      apply(new Command.PutNetwork(n));
      return state.networks().get(n.id());
    }

    Service create(ServiceSpec spec) {
      Service svc = ServiceAllocator.create(state, spec, now, serviceIds);
      apply(new Command.PutService(svc));
      return svc;
    }

    Service update(String name, ServiceSpec spec) {
      Service svc = ServiceAllocator.update(state, state.service(name).orElseThrow(), spec, now);
      apply(new Command.PutService(svc));
      return svc;
    }

    void putNode(Node n) {
      apply(new Command.PutNode(n));
    }

    Node node(String hostname) {
      return state.node(hostname).orElseThrow();
    }

    /** One leader round: plan and apply. Returns the commands. */
    List<Command> plan() {
      List<Command> cmds;
      if (dirtyOnly) {
        Plan p = Orchestrator.plan(state, dirty, now, ids);
        dirty = Dirty.services(p.recheck());
        cmds = p.commands();
      } else {
        cmds = Orchestrator.plan(state, now, ids);
      }
      cmds.forEach(this::apply);
      return cmds;
    }

    /** Every ready node's agent: ASSIGNED tasks wanted RUNNING start, those wanted SHUTDOWN stop. */
    boolean agents() {
      boolean any = false;
      for (Node n : state.nodes().values()) {
        if (n.status() != NodeStatus.READY) {
          continue;
        }
        List<TaskReport> reports = new ArrayList<>();
        for (Task t : state.tasksOn(n.id())) {
          if (t.desired() == TaskState.RUNNING && t.state().ordinal() < TaskState.RUNNING.ordinal()) {
            reports.add(new TaskReport(t.id(), TaskState.RUNNING, "started", null, now));
          } else if (t.desired() == TaskState.SHUTDOWN && !t.state().isTerminal()) {
            reports.add(new TaskReport(t.id(), TaskState.SHUTDOWN, "stopped", 0, now));
          }
        }
        if (!reports.isEmpty()) {
          apply(new Command.ReportTasks(n.id(), reports));
          any = true;
        }
      }
      return any;
    }

    /** Plans and plays the agents until nothing changes (bounded); each round advances time one second. */
    void converge() {
      for (int i = 0; i < 100; i++) {
        rounds++;
        List<Command> cmds = plan();
        boolean reported = agents();
        now += 1000;
        if (cmds.isEmpty() && !reported) {
          return;
        }
      }
      throw new AssertionError("no convergence after 100 rounds: " + state.tasks().values());
    }

    /** The agent of {@code node} says the task ended. */
    void report(Task t, TaskState st, int exit) {
      apply(new Command.ReportTasks(t.nodeId(), List.of(new TaskReport(t.id(), st, "exit " + exit, exit, now))));
    }

    List<Task> tasks(String service) {
      return state.tasksOf(state.service(service).orElseThrow().id());
    }

    List<Task> running(String service) {
      return tasks(service).stream().filter(t -> t.desired() == TaskState.RUNNING && t.state() == TaskState.RUNNING).toList();
    }

    Map<String, Integer> runningPerNode(String service) {
      Map<String, Integer> m = new HashMap<>();
      for (Task t : running(service)) {
        m.merge(state.nodes().get(t.nodeId()).hostname(), 1, Integer::sum);
      }
      return m;
    }
  }
}
