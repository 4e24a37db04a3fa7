#!/usr/bin/env bash
# Runs every test tier of meshplane, one after the other:
#   unit    no root, no kernel objects
#   kernel  root; each test in fresh network namespaces, checked with ip/bridge/nft
#   e2e     root; tests in a lab of namespaces (node1..nodeN, client, underlay)
#   vm      IPVS and the mesh's --lb ipvs under qemu with a stock Debian kernel (scripts/vm-test.sh)
# A tier that cannot run here says why. The machine's own namespace is never changed; the
# script checks that `ip netns list`, the root namespace's links and the mounts under
# /run/meshplane (a lab's tmpfs) are as they were.
# Usage: scripts/test.sh [tier ...]     (default: all tiers)
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

tiers=("$@")
[ "${#tiers[@]}" -eq 0 ] && tiers=(unit kernel e2e vm)

"$root/scripts/install-deps.sh" || { echo "test.sh: cannot install dependencies" >&2; exit 1; }

mvn_args=(-B --no-transfer-progress)
log_dir="$root/target/test-logs"
mkdir -p "$log_dir"

is_root() { [ "$(id -u)" -eq 0 ]; }
netns_snapshot() { ip netns list 2>/dev/null | awk '{print $1}' | sort; }
links_snapshot() { ip -o link show 2>/dev/null | awk -F': ' '{print $2}' | sort; }
# the project's mounts: a lab's tmpfs on /run/meshplane/LAB (netns mounts are checked as namespaces)
mounts_snapshot() { awk '$5 ~ "^/run/meshplane" {print $5}' /proc/self/mountinfo | sort; }

# Why a tier cannot run here, or nothing when it can.
why_not() {
  case "$1" in
    unit) ;;
    kernel|e2e)
      is_root || { echo "needs root (it creates network namespaces and links)"; return; }
      [ -w /run ] || { echo "/run is not writable (named namespaces live in /run/netns)"; return; }
      ;;
    vm) vm_why_not ;;
    *) echo "unknown tier (known: unit kernel e2e vm)" ;;
  esac
}

# Why scripts/vm-test.sh cannot run here, or nothing: it needs root (apt-get, and the guest's
# tests make namespaces), qemu-system-x86 installed or installable, and the kernel package.
vm_why_not() {
  is_root || { echo "needs root (apt-get install qemu-system-x86 ..., apt-get download of the kernel)"; return; }
  # apt's answers are read whole before matching: `apt-cache ... | grep -q` under pipefail fails
  # whenever grep quits before apt-cache has written everything (SIGPIPE), a false "cannot".
  local p status policy depends
  for p in qemu-system-x86 busybox-static ipvsadm; do
    status="$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)"
    [ "$status" = "install ok installed" ] && continue
    policy="$(apt-cache policy "$p" 2>/dev/null)"
    if ! grep -q "Candidate: [0-9]" <<<"$policy"; then
      echo "apt cannot install $p here (no candidate in apt-cache policy; try apt-get update)"; return
    fi
  done
  depends="$(apt-cache depends linux-image-amd64 2>/dev/null)"
  grep -q "Depends: linux-image-[0-9]" <<<"$depends" \
    || { echo "apt knows no linux-image-amd64 (the stock kernel package the guest boots)"; return; }
}

# Adds up the JUnit XML reports of the tier just run: "tests failures errors skipped". Maven
# tiers leave */target/surefire-reports; the vm tier target/vm/reports (JUnit Console Launcher).
count_reports() {
  python3 - "$@" <<'PY' 2>/dev/null || awk 'BEGIN{print "0 0 0 0"}'
import glob, sys, xml.etree.ElementTree as ET
t = f = e = s = 0
for path in glob.glob(sys.argv[1] if len(sys.argv) > 1 else "*/target/surefire-reports/TEST-*.xml"):
    r = ET.parse(path).getroot()
    t += int(r.get("tests", 0)); f += int(r.get("failures", 0))
    e += int(r.get("errors", 0)); s += int(r.get("skipped", 0))
print(t, f, e, s)
PY
}

# Names each failed or errored test case of the tier just run, with the first line of its message,
# so a CI log that shows only this script's output still says what broke.
failed_cases() {
  python3 - "$@" <<'PY' 2>/dev/null
import glob, sys, xml.etree.ElementTree as ET
for path in sorted(glob.glob(sys.argv[1] if len(sys.argv) > 1 else "*/target/surefire-reports/TEST-*.xml")):
    for case in ET.parse(path).getroot().iter("testcase"):
        for kind in ("failure", "error"):
            for bad in case.findall(kind):
                msg = (bad.get("message") or bad.get("type") or "").strip().splitlines()
                print(f"   {kind.upper()}: {case.get('classname')}.{case.get('name')}: {msg[0][:300] if msg else ''}")
PY
}

netns_before="$(netns_snapshot)"
links_before="$(links_snapshot)"
mounts_before="$(mounts_snapshot)"
total_pass=0; total_fail=0; total_skip=0; status=0
summary=()

# Compile once, quietly, so each tier's log shows only its tests.
if ! mvn "${mvn_args[@]}" -q test-compile > "$log_dir/build.log" 2>&1; then
  tail -n 60 "$log_dir/build.log"
  echo "test.sh: the build failed (log: $log_dir/build.log)"
  echo "0 passed, 1 failed"
  exit 1
fi

for tier in "${tiers[@]}"; do
  reason="$(why_not "$tier")"
  if [ -n "$reason" ]; then
    echo "== tier $tier: CANNOT RUN HERE: $reason"
    summary+=("$tier: not run: $reason")
    [ "$tier" = unit ] && status=1
    continue
  fi
  echo "== tier $tier"
  if [ "$tier" = vm ]; then
    # the vm-tagged tests run inside a qemu guest; the script prints its stages and any failure
    "$root/scripts/vm-test.sh" > "$log_dir/$tier.log" 2>&1
    rc=$?
    grep -E "^vm-test: " "$log_dir/$tier.log" | sed 's/^/   /'
    grep -E "\[X\]|tests (successful|failed)" "$root/target/vm/out/junit.log" 2>/dev/null | sed 's/^/   /' | tail -n 40
    read -r t f e s < <(count_reports "target/vm/reports/TEST-*.xml")
  else
    rm -rf ./*/target/surefire-reports
    mvn "${mvn_args[@]}" -fae test -Dgroups="$tier" -Dsurefire.failIfNoSpecifiedTests=false \
        > "$log_dir/$tier.log" 2>&1
    rc=$?
    grep -aE "Tests run:|FAIL|ERROR\] +[A-Za-z0-9]+Test" "$log_dir/$tier.log" | grep -v "Tests run: 0," | sed 's/^/   /' | tail -n 40
    read -r t f e s < <(count_reports)
  fi
  if [ "$tier" = vm ]; then failed_cases "target/vm/reports/TEST-*.xml"; else failed_cases; fi
  passed=$((t - f - e - s)); failed=$((f + e))
  if [ "$t" -eq 0 ]; then
    echo "   tier $tier ran no test"; failed=$((failed + 1)); rc=1
  fi
  if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; tail -n 40 "$log_dir/$tier.log"; fi
  total_pass=$((total_pass + passed)); total_fail=$((total_fail + failed)); total_skip=$((total_skip + s))
  summary+=("$tier: $passed passed, $failed failed, $s skipped (log: target/test-logs/$tier.log)")
  [ "$failed" -ne 0 ] && status=1
done

# The machine must be as we found it.
if [ "$(netns_snapshot)" != "$netns_before" ]; then
  echo "== LEFTOVER: ip netns list changed:"; diff <(echo "$netns_before") <(netns_snapshot)
  status=1; total_fail=$((total_fail + 1))
fi
if [ "$(links_snapshot)" != "$links_before" ]; then
  echo "== LEFTOVER: the root namespace's links changed:"; diff <(echo "$links_before") <(links_snapshot)
  status=1; total_fail=$((total_fail + 1))
fi

if [ "$(mounts_snapshot)" != "$mounts_before" ]; then
  echo "== LEFTOVER: mounts under /run/meshplane changed:"; diff <(echo "$mounts_before") <(mounts_snapshot)
  status=1; total_fail=$((total_fail + 1))
fi

echo "== summary"
for line in "${summary[@]}"; do echo "   $line"; done
echo "$total_pass passed, $total_fail failed, $total_skip skipped"
exit "$status"
