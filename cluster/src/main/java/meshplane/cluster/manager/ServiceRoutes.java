package meshplane.cluster.manager;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import meshplane.cluster.api.ApiFailure;
import meshplane.cluster.api.ApiRequest;
import meshplane.cluster.api.ApiResponse;
import meshplane.cluster.api.Router;
import meshplane.cluster.model.ClusterState;
import meshplane.cluster.model.Command;
import meshplane.cluster.model.InvalidRequestException;
import meshplane.cluster.model.PortConfig;
import meshplane.cluster.model.Service;
import meshplane.cluster.model.ServiceMode;
import meshplane.cluster.model.ServiceSpec;
import meshplane.cluster.orchestrator.ServiceAllocator;

/** {@code /v1/services...}: create, list, inspect, update, scale, publish, unpublish, remove, tasks, logs. */
final class ServiceRoutes {
  private final ManagerContext ctx;
  private final LogFanout logs;

  ServiceRoutes(ManagerContext ctx, LogFanout logs) {
    this.ctx = ctx;
    this.logs = logs;
  }

  void register(Router r) {
    r.add("GET", "/v1/services", q -> ctx.read(s -> s.services().values().stream().map(x -> Views.service(s, x)).toList()));
    r.add("POST", "/v1/services", this::create);
    r.add("GET", "/v1/services/{name}", q -> ctx.read(s -> Views.service(s, service(s, q.var("name")))));
    r.add("DELETE", "/v1/services/{name}", q -> ctx.write(q,
        s -> new Command.RemoveService(service(s, q.var("name")).id()), s -> Map.of("removed", q.var("name"))));
    r.add("POST", "/v1/services/{name}/update", this::update);
    r.add("POST", "/v1/services/{name}/scale", this::scale);
    r.add("POST", "/v1/services/{name}/publish", this::publish);
    r.add("POST", "/v1/services/{name}/unpublish", this::unpublish);
    r.add("GET", "/v1/services/{name}/tasks", q -> ctx.read(s -> Views.tasks(s, service(s, q.var("name")))));
    r.add("GET", "/v1/services/{name}/logs", q -> ctx.store().readConsistent().thenApply(s -> {
      Service svc = service(s, q.var("name"));
      return logs.stream(s, svc, q.flag("follow"), q.tail());
    }));
  }

  static Service service(ClusterState s, String name) {
    ManagerContext.requireSwarm(s);
    return s.service(name).orElseThrow(() -> ApiFailure.notFound("no such service: " + name));
  }

  private CompletableFuture<ApiResponse> create(ApiRequest q) {
    ServiceSpec spec = q.body(ServiceSpec.class);
    return ctx.write(q, s -> {
      ManagerContext.requireSwarm(s);
      return new Command.PutService(ServiceAllocator.create(s, spec, System.currentTimeMillis(), ctx.ids()));
    }, s -> Views.service(s, s.service(spec.name()).orElseThrow()));
  }

  private CompletableFuture<ApiResponse> update(ApiRequest q) {
    ServiceUpdate u = q.body(ServiceUpdate.class);
    return ctx.write(q, s -> {
      Service old = service(s, q.var("name"));
      ServiceSpec spec = u.applyTo(old.spec());
      if (u.onlyReplicas()) {
        return scaled(s, old, spec.replicas());
      }
      return new Command.PutService(ServiceAllocator.update(s, old, spec, System.currentTimeMillis()));
    }, s -> Views.service(s, service(s, q.var("name"))));
  }

  private CompletableFuture<ApiResponse> scale(ApiRequest q) {
    Integer n = q.body(ScaleBody.class).replicas();
    return ctx.write(q, s -> scaled(s, service(s, q.var("name")), n), s -> Views.service(s, service(s, q.var("name"))));
  }

  record ScaleBody(Integer replicas) {}

  /** A scale is not a new version: the running tasks stay, slots are added or shut down. */
  private static Command scaled(ClusterState s, Service old, Integer n) {
    if (n == null || n < 0 || n > 1000) {
      throw new InvalidRequestException("replicas", "must be a number of 0 to 1000");
    }
    if (old.spec().mode() == ServiceMode.GLOBAL) {
      throw new InvalidRequestException("replicas", "service " + old.name() + " is global: it runs one task per node and cannot be scaled");
    }
    meshplane.cluster.orchestrator.StateLimits.checkTasks(s, old, old.spec().withReplicas(n));
    return new Command.PutService(new Service(old.id(), old.spec().withReplicas(n), old.version(), old.mark(), old.vips(),
        old.createdAt(), System.currentTimeMillis()));
  }

  record PublishBody(Integer published, Integer target, meshplane.dataplane.Protocol protocol) {}

  private CompletableFuture<ApiResponse> publish(ApiRequest q) {
    PublishBody b = q.body(PublishBody.class);
    if (b.target() == null) {
      throw new InvalidRequestException("target", "the port the service listens on is required (PUBLISHED:TARGET or TARGET)");
    }
    meshplane.dataplane.Protocol proto = b.protocol() == null ? meshplane.dataplane.Protocol.TCP : b.protocol();
    PortConfig asked = new PortConfig(proto, b.published() == null ? 0 : b.published(), b.target(),
        meshplane.dataplane.PublishMode.INGRESS);
    return ctx.write(q, s -> {
      Service old = service(s, q.var("name"));
      for (PortConfig p : old.spec().ports()) {
        if (asked.published() != 0 && p.published() == asked.published() && p.protocol().equals(proto)) {
          throw new meshplane.cluster.model.CommandRejectedException("port " + p.published() + "/" + proto
              + " is already published by service " + old.name());
        }
      }
      List<PortConfig> ports = new ArrayList<>(old.spec().ports());
      ports.add(asked);
      return new Command.PutService(ServiceAllocator.update(s, old, old.spec().withPorts(ports), System.currentTimeMillis()));
    }, s -> {
      Service now = service(s, q.var("name"));
      PortConfig got = now.spec().ports().get(now.spec().ports().size() - 1);
      return Map.of("service", now.name(), "port", got);
    });
  }

  record UnpublishBody(Integer published, meshplane.dataplane.Protocol protocol) {}

  private CompletableFuture<ApiResponse> unpublish(ApiRequest q) {
    UnpublishBody b = q.body(UnpublishBody.class);
    if (b.published() == null) {
      throw new InvalidRequestException("published", "the published port to remove is required");
    }
    return ctx.write(q, s -> {
      Service old = service(s, q.var("name"));
      List<PortConfig> ports = old.spec().ports().stream()
          .filter(p -> !(p.published() == b.published() && (b.protocol() == null || p.protocol().equals(b.protocol())))).toList();
      if (ports.size() == old.spec().ports().size()) {
        throw ApiFailure.notFound("service " + old.name() + " does not publish port " + b.published()
            + (b.protocol() == null ? "" : "/" + b.protocol()));
      }
      return new Command.PutService(ServiceAllocator.update(s, old, old.spec().withPorts(ports), System.currentTimeMillis()));
    }, s -> Views.service(s, service(s, q.var("name"))));
  }
}
