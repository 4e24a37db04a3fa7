#!/usr/bin/env bash
# The data plane without a control plane: build meshplane, bring up a 3-node lab of namespaces
# only (no node daemons), show every host reaching every node over the underlay, then the
# routing mesh driven by hand (meshctl dataplane apply): service web (tasks on node2 and node3) published
# on 8080, answering from the client on every node, including node1 which has no task; its VIP
# answering a task on node1 over the overlay. Run as root on Debian 12. The lab is taken down at the end unless
# --keep is given (then: scripts/meshctl lab down).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
keep=0
[ "${1:-}" = "--keep" ] && keep=1

"$root/scripts/install-deps.sh"
meshctl="$root/scripts/meshctl"

if "$meshctl" lab ls >/dev/null 2>&1; then
  echo "== a lab is already up; taking it down first"
  "$meshctl" lab down
fi
servers=()
cleanup() {
  for p in "${servers[@]}"; do kill "$p" 2>/dev/null || true; done
  [ "$keep" = 1 ] || "$meshctl" lab down
}
trap cleanup EXIT

echo "== meshctl lab up --nodes 3 --no-swarm (namespaces only: this demo drives the data plane by hand)"
"$meshctl" lab up --nodes 3 --no-swarm

echo
echo "== reachability over the underlay (ping -c1 from each row to each column)"
hosts=(node1 node2 node3 client)
printf '%-8s' ""; for d in node1 node2 node3; do printf '%-9s' "$d"; done; echo
fail=0
for s in "${hosts[@]}"; do
  printf '%-8s' "$s"
  for k in 1 2 3; do
    if "$meshctl" lab exec "$s" -- ping -c1 -W2 -q "198.18.0.$k" >/dev/null 2>&1; then
      printf '%-9s' ok
    else
      printf '%-9s' FAIL; fail=1
    fi
  done
  echo
done

echo
echo "== node1 -> node3, as a person would check it"
"$meshctl" lab exec node1 -- ping -c3 198.18.0.3
echo
echo "== enter any host with the nsenter command from 'meshctl lab ls', e.g.:"
echo "   nsenter --net=/run/netns/mp-lab-node1 ip -br addr"
nsenter --net=/run/netns/mp-lab-node1 ip -br addr

echo
echo "== the routing mesh: meshctl dataplane apply on each node (docs/examples/lab-node*.json)"
for k in 1 2 3; do
  "$meshctl" dataplane apply --node "node$k" -f "$root/docs/examples/lab-node$k.json" | tail -1
done
for t in node2-weba node3-webb; do   # a TCP server answering its task's name, on port 80
  ip netns exec "mp-lab-$t" socat TCP-LISTEN:80,fork,reuseaddr "SYSTEM:echo ${t#*-}" >/dev/null 2>&1 &
  servers+=($!)
done
sleep 0.5
echo
echo "== client -> published port 8080 on every node (round robin over weba, webb)"
for k in 1 2 3 1 2 3; do
  answer=$("$meshctl" lab exec client -- sh -c "socat -T2 - TCP:198.18.0.$k:8080 </dev/null" 2>&1 | head -1)
  printf 'node%s:8080 -> %s\n' "$k" "$answer"
  case "$answer" in weba|webb) ;; *) fail=1 ;; esac
done
echo
echo "== task cli on node1 -> VIP 10.0.1.2:80 and ping"
ip netns exec mp-lab-node1-cli sh -c 'socat -T2 - TCP:10.0.1.2:80 </dev/null' || fail=1
ip netns exec mp-lab-node1-cli ping -c2 -i0.2 -W2 10.0.1.2 | tail -2 || fail=1
echo
echo "== what node1 holds: meshctl debug netns --node node1"
"$meshctl" debug netns --node node1
echo
echo "== a second apply changes nothing"
"$meshctl" dataplane apply --node node1 -f "$root/docs/examples/lab-node1.json"

if [ "$keep" = 1 ]; then
  echo; echo "== lab left up (--keep): scripts/meshctl lab ls / exec / down"
fi
exit "$fail"
