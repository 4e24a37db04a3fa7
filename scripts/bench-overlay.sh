#!/usr/bin/env bash
# Overlay throughput, side by side in one run (see meshplane.bench.OverlayBench):
# underlay, hand-built kernel VXLAN (reference), meshplane kernel VTEP, userspace VTEP on
# io_uring and on epoll; one line per path with Gbit/s and ratios, then a summary line.
# Usage: scripts/bench-overlay.sh [--seconds S] [--rounds R]   (defaults 5 s, 3 rounds; bounded)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh"
exec "$root/scripts/bench-java" meshplane.bench.OverlayBench "$@"
