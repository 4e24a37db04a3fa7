#!/usr/bin/env bash
# The control plane measured in a lab of its own, in one run (see meshplane.bench.ControlBench and
# docs/benchmarks.md): `meshctl lab up --name ctlbench --nodes 3 --managers 3` (the daemons of
# meshctl.jar), tasks that only sleep (busybox sleep 100000, process executor, no network), and
#   1. p50 / p99 of one service create over the API at 10, 100 and 1,000 services present
#      (replicas 0; goals p99 <= 20 ms, p99(1,000) / p99(10) <= 1.5)
#   2. writes per second with 16 concurrent clients (creates; goal >= 500/s)
#   3. 1,000 services x 2 replicas converged: every task running, every node's assignment
#      applied (goal within 10 s of the last create)
#   4. bytes of node3's assignment at 10 and 1,000 services it runs no task of (no growth)
#   5. each daemon's threads and RSS at 10 and 600 tasks (threads do not grow)
#   6. whoami through the published port at 1 and 64 connections against nginx published the
#      same way (goal whoami >= 0.8 x nginx at 64), and whoami's RSS per task
# One line per figure, then a summary line with each goal met or not. Bounded (a 20-minute
# deadline); the lab mp-ctlbench-* is removed at the end, also on failure and on Ctrl-C.
# Exit 0 when every phase was measured (goals are reported, not enforced), 1 otherwise.
# Usage: scripts/bench-control.sh [--services N] [--window W] [--clients C] [--writes K]
#                                 [--rounds R] [--seconds S] [--deadline MINUTES]
#        (defaults 1000, 50, 16, 1000, 3, 5, 20; a smaller --services is a quick trial, not a figure)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh"
"$root/scripts/meshctl" --help >/dev/null # builds meshctl/target/meshctl.jar first when it is stale: the lab's daemons run it
exec "$root/scripts/bench-java" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn meshplane.bench.ControlBench "$@"
