#!/usr/bin/env bash
# bench-dns.sh: dnsperf against meshplane's embedded DNS and against dnsmasq serving the same
# records from a hosts file, in the same task namespace, with the same query mix, side by side.
# Prints qps and p99 latency for each and the ratio; with --rounds N, N rounds (the order of the
# two servers alternating, so drift on a shared machine hits both alike) and the median ratio. Goal (issue 6): >= 1.0 x dnsmasq's qps with
# p99 <= 2 ms on local names.
#
#   scripts/bench-dns.sh [--seconds N] [--services N] [--clients N] [--outstanding N] [--threads N]
#                        [--transport auto|io_uring|epoll] [--rounds N]
#
# Builds a one-node lab of its own (mp-dnsbench-*), removed on exit, pass or fail. Traffic stays
# on the task namespace's loopback: the embedded DNS on 127.0.0.11, dnsmasq on 127.0.0.12.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
seconds=10 services=50 clients=4 outstanding=64 threads=0 transport=auto rounds=1
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --services) services="$2"; shift 2 ;;
    --clients) clients="$2"; shift 2 ;;
    --outstanding) outstanding="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --transport) transport="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    *) echo "bench-dns: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" -eq 0 ] || { echo "bench-dns: needs root (namespaces)" >&2; exit 1; }
"$root/scripts/install-deps.sh"
meshctl="$root/scripts/meshctl"
lab=dnsbench
ns="mp-$lab-node1-cli"
work="$(mktemp -d /tmp/meshplane-bench-dns.XXXXXX)"
dns_pid="" dnsmasq_pid=""

cleanup() {
  [ -n "$dns_pid" ] && kill "$dns_pid" 2>/dev/null && wait "$dns_pid" 2>/dev/null || true
  [ -n "$dnsmasq_pid" ] && kill "$dnsmasq_pid" 2>/dev/null && wait "$dnsmasq_pid" 2>/dev/null || true
  "$meshctl" lab down --name "$lab" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

"$meshctl" lab down --name "$lab" >/dev/null 2>&1 || true
"$meshctl" lab up --nodes 1 --no-swarm --name "$lab" >/dev/null

# The state: network web 10.0.0.0/16, the client task "cli", $services vip services with 3 tasks
# each (named svcN.K.tNNK), and one dnsrr service.
python3 - "$services" "$ns" >"$work/state.json" 3>"$work/hosts" 4>"$work/queries" <<'PY'
import json, os, sys
n, ns = int(sys.argv[1]), sys.argv[2]
hosts, queries = os.fdopen(3, "w"), os.fdopen(4, "w")
def ip(i): return "10.0.%d.%d" % (i // 250, 2 + i % 250)
nxt = 10
svcs = []
for s in range(n):
    vip = ip(nxt); nxt += 1
    backends = []
    for k in range(1, 4):
        t = "svc%d.%d.t%03d%d" % (s, k, s, k)
        backends.append({"network": "web", "ip": ip(nxt), "task": t})
        hosts.write("%s %s\n" % (ip(nxt), t)); hosts.write("%s tasks.svc%d\n" % (ip(nxt), s))
        queries.write("%s A\n" % t)
        nxt += 1
    hosts.write("%s svc%d\n" % (vip, s))
    queries.write("svc%d A\ntasks.svc%d A\nsvc%d A\n" % (s, s, s))
    svcs.append({"name": "svc%d" % s, "endpointMode": "vip", "mark": 257 + s, "vips": {"web": vip},
                 "ports": [], "backends": backends})
state = {"node": "node1", "underlay": "198.18.0.1",
  "networks": [{"id": "web", "vni": 4097, "subnet": "10.0.0.0/16", "gateway": "10.0.0.1",
                "ingress": False, "lbAddress": "10.0.255.250"}],
  "endpoints": [{"id": "cli", "network": "web", "ip": "10.0.255.200", "mac": "02:42:0a:00:ff:c8",
                 "namespace": ns, "iface": "eth0", "task": "cli.1.tcli"}],
  "peers": [], "services": svcs}
print(json.dumps(state, indent=1))
PY

# The DNS needs only the task's namespace (it brings lo up itself), not its overlay endpoint, so
# the namespace is made here rather than by `meshctl dataplane apply`; lab down removes it.
ip netns add "$ns"
serve_args=(dns serve --name "$lab" --node node1 -f "$work/state.json" --resolv-conf /dev/null --transport "$transport")
[ "$threads" -gt 0 ] && serve_args+=(--threads "$threads")
# A small young generation and the parallel collector keep GC pauses (the p99 tail) short.
JAVA_TOOL_OPTIONS="${DNS_JAVA_OPTS--XX:+UseParallelGC -Xms256m -Xmn32m}" "$meshctl" "${serve_args[@]}" >"$work/dns.log" 2>&1 &
dns_pid=$!
for _ in $(seq 100); do grep -q "serving on" "$work/dns.log" && break; sleep 0.2; done
grep -q "serving on" "$work/dns.log" || { cat "$work/dns.log" >&2; echo "bench-dns: embedded DNS did not start" >&2; exit 1; }

nsenter --net="/run/netns/$ns" dnsmasq --keep-in-foreground --no-resolv --no-hosts --addn-hosts="$work/hosts" \
  --listen-address=127.0.0.12 --bind-interfaces --port=53 --local-ttl=5 --user=root --pid-file="$work/dnsmasq.pid" \
  --log-facility=- 2>"$work/dnsmasq.log" &
dnsmasq_pid=$!
sleep 0.5

# Both answer the same names the same way before anything is measured.
for q in svc0 tasks.svc0 svc0.1.t0001; do
  a="$(nsenter --net="/run/netns/$ns" dig +short @127.0.0.11 "$q" | sort | tr '\n' ' ')"
  b="$(nsenter --net="/run/netns/$ns" dig +short @127.0.0.12 "$q" | sort | tr '\n' ' ')"
  [ "$a" = "$b" ] || { echo "bench-dns: $q: embedded DNS says '$a', dnsmasq says '$b'" >&2; exit 1; }
done

# Warm the JVM's JIT and dnsmasq alike, then measure. -v prints one line per answer with its
# latency; p99 comes from those lines.
run() { # server label
  nsenter --net="/run/netns/$ns" dnsperf -s "$1" -d "$work/queries" -l 3 -c "$clients" -q "$outstanding" >/dev/null 2>&1 || true
  nsenter --net="/run/netns/$ns" dnsperf -s "$1" -d "$work/queries" -l "$seconds" -c "$clients" -q "$outstanding" -v \
    >"$work/$2.out" 2>&1 || true
  qps="$(awk '/Queries per second/ {print $4}' "$work/$2.out")"
  lost="$(awk '/Queries lost/ {print $3}' "$work/$2.out")"
  p99="$(awk '/^> / {print $NF}' "$work/$2.out" | sort -n | awk '{a[NR]=$1} END {if (NR) printf "%.3f", a[int(NR*0.99)]*1000; else print "n/a"}')"
  p50="$(awk '/^> / {print $NF}' "$work/$2.out" | sort -n | awk '{a[NR]=$1} END {if (NR) printf "%.3f", a[int(NR*0.5)]*1000; else print "n/a"}')"
  printf '%-13s qps %10s  p50 %6s ms  p99 %6s ms  lost %s\n' "$2" "$qps" "$p50" "$p99" "$lost"
  eval "${2//-/_}_qps=$qps"
}
echo "bench-dns: $services services ($(wc -l <"$work/queries") names), dnsperf -c $clients -q $outstanding -l $seconds, $(nproc) CPUs"
[[ "$rounds" =~ ^[1-9][0-9]?$ ]] || { echo "bench-dns: --rounds $rounds must be 1-99" >&2; exit 2; }
ratios=()
for ((r = 1; r <= rounds; r++)); do
  if ((r % 2)); then
    run 127.0.0.11 embedded-dns; run 127.0.0.12 dnsmasq
  else
    run 127.0.0.12 dnsmasq; run 127.0.0.11 embedded-dns
  fi
  ratio="$(awk -v a="$embedded_dns_qps" -v b="$dnsmasq_qps" 'BEGIN {printf "%.2f", a / b}')"
  echo "ratio         embedded-dns / dnsmasq = $ratio x"
  ratios+=("$ratio")
done
if ((rounds > 1)); then
  median="$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}')"
  echo "median ratio  over $rounds rounds = $median x  (each: ${ratios[*]})"
fi
grep -h "transport\|serving on" "$work/dns.log" | head -1
