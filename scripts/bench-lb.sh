#!/usr/bin/env bash
# The routing mesh's load balancing, side by side in one run (see meshplane.bench.LbBench and
# docs/benchmarks.md): wrk from the lab's client to
#   mesh     198.18.0.1:8080  published on node1 (no local task) -> tasks web1@node2, web2@node3
#   direct   198.18.0.2:80    one backend, no load balancer
#   haproxy  198.18.0.1:8090  HAProxy 2.6 TCP mode on node1, round robin to node2, node3
#   nft-ref  198.18.0.1:8070  hand-built single-hop nf_tables DNAT+SNAT on node1 (numgen) to
#                             node2, node3: the issue's reference, for context (no goal)
# Backends: nginx-light, 1 worker, access_log off, `return 200 "ok\n"`, keepalive_requests 1000,
# the same config for every instance; shares from each instance's stub_status request counter.
# The mesh is programmed by `meshctl dataplane apply` on each node from state files the
# benchmark generates (/run/meshplane/bench-lb/nodeK.json). Rounds interleave the paths (order
# rotating); medians of rounds, ratios as medians of per-round ratios; goals: mesh >= 0.8 x
# direct, >= 1.4 x haproxy, each backend within 10% of its fair share. Last line: a summary.
# Bounded in time; servers stopped and lab mp-lbbench-* removed at the end, also on failure.
# Exit 0 when every path was measured (goals are reported, not enforced), 1 otherwise.
# Usage: scripts/bench-lb.sh [--seconds S] [--rounds R] [--connections C] [--threads T] [--lb MODE]
#                           [--haproxy-threads N]
#        (defaults 10 s, 3 rounds, wrk 64 connections and 2 threads, --lb auto as meshctl dataplane
#        apply, HAProxy's default threads: one per CPU)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh"
exec "$root/scripts/bench-java" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn meshplane.bench.LbBench "$@"
