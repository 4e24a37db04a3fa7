#!/usr/bin/env bash
# The main job: a 3-node swarm in a lab of network namespaces, then Docker Swarm's tutorial
# flow on it: an overlay network, a whoami service with 3 replicas published 8080:80, requests
# from the client namespace to every node's 8080 answered by different tasks (the routing
# mesh), and a name lookup from inside a task (the embedded DNS at 127.0.0.11). Run as root on
# Debian 12. The lab is taken down at the end unless --keep is given (then: scripts/meshctl lab down).
# scripts/demo-dataplane.sh shows the data plane alone, driven by desired-state files.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
keep=0
[ "${1:-}" = "--keep" ] && keep=1

"$root/scripts/install-deps.sh"
meshctl="$root/scripts/meshctl"
run() { echo "\$ meshctl $*"; "$meshctl" "$@"; }

if "$meshctl" lab ls >/dev/null 2>&1; then
  echo "== a lab is already up; taking it down first"
  "$meshctl" lab down
fi
cleanup() { [ "$keep" = 1 ] || "$meshctl" lab down; }
trap cleanup EXIT
fail=0

echo "== a 3-node lab; a node daemon in every node: node1 initialises the swarm, node2 and node3 join"
run lab up --nodes 3 --managers 1 --heartbeat 1s
echo
run node ls
echo
echo "== an overlay network and a service published on every node"
run network create -d overlay web
run service create --name web --replicas 3 --network web -p 8080:80 meshplane/whoami
echo
run service ls
run service ps web
echo
echo "== the client -> port 8080 of every node (the routing mesh; round robin over the tasks)"
seen=()
for k in 1 2 3 1 2 3 1 2 3; do
  answer=$(ip netns exec mp-lab-client curl -s -m 3 "http://198.18.0.$k:8080/" | sed -n 's/^Hostname: //p')
  printf 'node%s:8080 -> %s\n' "$k" "${answer:-NO ANSWER}"
  [ -n "$answer" ] || fail=1
  seen+=("$answer")
done
distinct=$(printf '%s\n' "${seen[@]}" | sort -u | grep -c . || true)
echo "$distinct different tasks answered"
[ "$distinct" -ge 3 ] || fail=1
echo
echo "== inside a task (its own network, UTS and mount namespaces): who am I, and what is 'web'?"
task_ns=$(ip netns list | awk '{print $1}' | grep -E '^mp-lab-node1-[a-z0-9]{10}$' | head -n1)
pid=""
for p in $(pgrep -f meshplane.whoami.Whoami); do
  [ "$(readlink "/proc/$p/ns/net")" = "net:[$(stat -L -c %i "/run/netns/$task_ns")]" ] && pid=$p && break
done
if [ -z "$pid" ]; then
  echo "no task found on node1"; fail=1
else
  echo "\$ nsenter -t $pid -n -m -u sh -c 'hostname; cat /etc/resolv.conf; getent hosts web; getent hosts tasks.web; curl -s http://web/'"
  nsenter -t "$pid" -n -m -u sh -c 'hostname; cat /etc/resolv.conf; getent hosts web; getent hosts tasks.web; curl -s -m 3 http://web/ | head -n 2' || fail=1
  echo "\$ ip netns exec $task_ns dig +short @127.0.0.11 web"
  ip netns exec "$task_ns" dig +short @127.0.0.11 web || fail=1
fi
echo
echo "== debug any layer with nsenter: the node, its ingress_sbox, lb_web, a task"
echo "   nsenter --net=/run/netns/mp-lab-node1-ingress_sbox nft list table ip meshplane"
echo "   scripts/meshctl debug netns --node node1"

if [ "$keep" = 1 ]; then
  echo; echo "== lab left up (--keep): scripts/meshctl service ls / lab ls / lab down"
fi
exit "$fail"
