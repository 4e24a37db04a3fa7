#!/usr/bin/env bash
# The main job: build meshplane, bring up a 3-node lab and show every host reaching every
# node over the underlay. Run as root on Debian 12. The lab is taken down at the end unless
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
cleanup() { [ "$keep" = 1 ] || "$meshctl" lab down; }
trap cleanup EXIT

echo "== meshctl lab up --nodes 3"
"$meshctl" lab up --nodes 3

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

if [ "$keep" = 1 ]; then
  echo; echo "== lab left up (--keep): scripts/meshctl lab ls / exec / down"
fi
exit "$fail"
