#!/usr/bin/env bash
# The vm tier: the vm-tagged JUnit tests (IPVS, the routing mesh with --lb ipvs) against a stock
# Debian kernel under qemu, because this machine's kernel has no IPVS. Nothing is installed as
# this machine's kernel: the linux-image .deb is fetched with apt-get download and unpacked
# under target/vm. The guest boots a small initramfs (busybox-static + scripts/vm/init) that
# loads the modules below with their dependencies from modules.dep, mounts this machine's root
# read-only over virtio-9p and a writable 9p share for results, and runs scripts/vm/guest.sh,
# i.e. this machine's JVM with the JUnit Platform Console Launcher on the test classpath Maven
# built here. Everything is bounded (qemu is killed after MESHPLANE_VM_TIMEOUT seconds).
#
# Usage: scripts/vm-test.sh            Output: target/vm/console.log (the guest's console),
#        target/vm/out/ (status, stage, junit.log), target/vm/reports/TEST-*.xml.
# Exit: 0 tests passed; 1 tests failed; 2 could not run (prep, boot, modules, java), with
# "vm-test: FAILED <stage>: <why>" on stderr. Environment: MESHPLANE_VM_TIMEOUT (default 540),
# MESHPLANE_VM_ACCEL (tcg; kvm where /dev/kvm works), MESHPLANE_VM_MEM (MiB, default 3072),
# MESHPLANE_VM_TESTS (a regular expression of test class names to run, e.g. '.*IpvsVmTest').
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
vm="$root/target/vm"
timeout_s="${MESHPLANE_VM_TIMEOUT:-540}"
accel="${MESHPLANE_VM_ACCEL:-tcg}"
mem="${MESHPLANE_VM_MEM:-3072}"
junit_platform=1.14.4   # the JUnit Platform of junit-bom 5.14.4 in pom.xml
t0=$(date +%s)
say() { echo "vm-test: $* (+$(( $(date +%s) - t0 ))s)"; }
die() { echo "vm-test: FAILED $1: $2" >&2; exit "${3:-2}"; }

# Modules the guest loads, by name; their dependencies come from modules.dep.
boot_modules=(virtio_pci 9pnet_virtio 9p)
net_modules=(
  ip_vs ip_vs_rr ip_vs_wrr ip_vs_wlc ip_vs_sh             # IPVS and the schedulers the tests use
  nf_conntrack nf_nat nf_tables nfnetlink nf_conntrack_netlink
  nft_ct nft_nat nft_chain_nat nft_numgen nft_masq nft_redir nft_hash nft_fib_ipv4
  nft_reject_ipv4 nft_limit nft_compat                    # the mesh's tables and nft's usual ones
  veth bridge vxlan tun dummy                             # lab, overlays, mesh sandboxes
)

# --- what this machine needs (tools only; no kernel is installed here) -------------------------
packages=(qemu-system-x86 busybox-static ipvsadm strace kmod socat nftables iproute2 cpio)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  [ "$(id -u)" -eq 0 ] || die prep "missing ${missing[*]} and not root"
  say "installing ${missing[*]}"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; } \
    > /tmp/meshplane-vm-apt.log 2>&1 || die prep "apt-get install ${missing[*]} failed (/tmp/meshplane-vm-apt.log)"
fi
java_bin="$(readlink -f "$(command -v java)")"
[ -x "$java_bin" ] || die prep "no java on this machine"

# --- the stock kernel, unpacked under target/vm/kernel ----------------------------------------
mkdir -p "$vm/deb"
image_pkg="$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[0-9].*-amd64\)$/\1/p' | head -n1)"
[ -n "$image_pkg" ] || die prep "apt-cache cannot say which linux-image-6.x-amd64 linux-image-amd64 depends on"
kver="${image_pkg#linux-image-}"
kdir="$vm/kernel"
if [ ! -f "$kdir/lib/modules/$kver/modules.dep" ]; then
  say "fetching $image_pkg"
  ( cd "$vm/deb" && rm -f ./*.deb && apt-get download "$image_pkg" ) > "$vm/deb/download.log" 2>&1 \
    || die prep "apt-get download $image_pkg failed ($vm/deb/download.log)"
  rm -rf "$kdir" && dpkg-deb -x "$vm"/deb/"$image_pkg"_*.deb "$kdir"
  depmod -b "$kdir" "$kver" || die prep "depmod -b $kdir $kver failed"
fi
vmlinuz="$kdir/boot/vmlinuz-$kver"
[ -f "$vmlinuz" ] || die prep "no $vmlinuz in $image_pkg"

# --- the initramfs: busybox-static, init, the modules and their dependencies -------------------
# resolve NAME...: prints module paths (relative to lib/modules/KVER) in load order: each
# module after its dependencies (modules.dep) and its "pre:" soft dependencies (modules.softdep,
# names looked up in modules.alias; libcrc32c needs crc32c, for one).
resolve() {
  local d="$kdir/lib/modules/$kver"
  awk -v want="$*" '
    function key(n) { gsub("-", "_", n); return n }
    FILENAME ~ /modules\.dep$/ { sub(":", "", $1); path[$1] = $0; n = split($1, p, "/"); name = p[n]
      sub(/\.ko(\.[a-z]+)?$/, "", name); file[key(name)] = $1; next }
    FILENAME ~ /modules\.alias$/ && $1 == "alias" { if (!(key($2) in alias) || $3 ~ /_generic$/) alias[key($2)] = key($3); next }  # the generic C one runs on any CPU
    FILENAME ~ /modules\.softdep$/ && $1 == "softdep" { for (i = 4; i <= NF && $i != "post:"; i++) pre[key($2)] = pre[key($2)] " " $i; next }
    function byname(n) { n = key(n); if (n in file) return file[n]; if (n in alias && alias[n] in file) return file[alias[n]]; return "" }
    function load(f,   parts, k, i, n, s, sd) {
      if (f in done) return
      done[f] = 1; n = split(f, parts, "/"); n = parts[n]; sub(/\.ko(\.[a-z]+)?$/, "", n)
      k = split(pre[key(n)], sd, " ")
      for (i = 1; i <= k; i++) if ((s = byname(sd[i])) != "") load(s)
      k = split(path[f], parts, " ")
      for (i = k; i >= 2; i--) load(parts[i])   # modules.dep lists the deepest dependency last
      print f
    }
    END { n = split(want, w, " ")
      for (i = 1; i <= n; i++) { f = byname(w[i]); if (f == "") print "MISSING " w[i]; else load(f) } }
  ' "$d/modules.dep" "$d/modules.alias" "$d/modules.softdep"
}
ird="$vm/initramfs"
rm -rf "$ird" && mkdir -p "$ird/bin" "$ird/etc" "$ird/lib/modules/$kver"
cp /bin/busybox "$ird/bin/busybox"
cp scripts/vm/init "$ird/init"
resolve "${boot_modules[@]}" > "$ird/etc/modules.boot"
resolve "${net_modules[@]}" > "$ird/etc/modules.net"
if grep -h ^MISSING "$ird"/etc/modules.*; then die prep "modules not in $image_pkg (above)"; fi
cat "$ird"/etc/modules.* | sort -u | while read -r m; do
  mkdir -p "$ird/lib/modules/$kver/$(dirname "$m")"
  cp "$kdir/lib/modules/$kver/$m" "$ird/lib/modules/$kver/$m"
done
cp "$kdir/lib/modules/$kver"/modules.{dep,alias,symbols,builtin,order,softdep} "$ird/lib/modules/$kver/"
( cd "$ird" && find . | cpio -o -H newc --quiet ) > "$vm/initramfs.cpio"
say "initramfs: $(cat "$ird"/etc/modules.* | sort -u | wc -l) modules, $(( $(stat -c %s "$vm/initramfs.cpio") / 1024 / 1024 )) MiB"

# --- the tests, compiled here; the classpath for the guest's JVM ------------------------------
mapfile -t modules < <(grep -rl --include='*.java' '@Tag("vm")' ./*/src/test/java | cut -d/ -f2 | sort -u)
[ "${#modules[@]}" -gt 0 ] || die prep "no @Tag(\"vm\") test in any module"
modlist="$(IFS=,; echo "${modules[*]}")"
say "compiling ${modlist} and resolving the test classpath"
mvn -B -q -o -pl "$modlist" -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile=target/vm-classpath.txt > "$vm/mvn.log" 2>&1 \
  || mvn -B -q -pl "$modlist" -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile=target/vm-classpath.txt > "$vm/mvn.log" 2>&1 \
  || { tail -n 30 "$vm/mvn.log" >&2; die prep "mvn test-compile failed ($vm/mvn.log)"; }
launcher="$HOME/.m2/repository/org/junit/platform/junit-platform-console-standalone/$junit_platform/junit-platform-console-standalone-$junit_platform.jar"
if [ ! -f "$launcher" ]; then
  mvn -B -q dependency:get -Dartifact="org.junit.platform:junit-platform-console-standalone:$junit_platform" \
    > "$vm/mvn-launcher.log" 2>&1 || die prep "cannot fetch junit-platform-console-standalone $junit_platform ($vm/mvn-launcher.log)"
fi
cp_entries=(); scan=(); rm -f "$vm/classpath.tmp"
for m in "${modules[@]}"; do
  { tr ":" "\n" < "$m/target/vm-classpath.txt"; echo; } >> "$vm/classpath.tmp"
  echo "$root/$m/target/classes" >> "$vm/classpath.tmp"
  echo "$root/$m/target/test-classes" >> "$vm/classpath.tmp"
  scan+=("$root/$m/target/test-classes")
done
# the launcher jar brings JUnit itself; keep one copy of it on the classpath
mapfile -t cp_entries < <(awk 'NF && !seen[$0]++' "$vm/classpath.tmp" | grep -vE '/org/junit/|/opentest4j/|/apiguardian/')
rm -f "$vm/classpath.tmp"

# --- boot -----------------------------------------------------------------------------------
out="$vm/out"
rm -rf "$out" "$vm/reports" && mkdir -p "$out"
{
  printf 'JAVA=%q\n' "$java_bin"
  printf 'JAVA_OPTS=%q\n' "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Djna.tmpdir=/tmp/jna -Djava.io.tmpdir=/tmp"
  printf 'LAUNCHER=%q\n' "$launcher"
  printf 'TEST_CLASSPATH=%q\n' "$(IFS=:; echo "${cp_entries[*]}")"
  printf 'SCAN=%q\n' "$(IFS=:; echo "${scan[*]}")"
  printf 'ONLY=%q\n' "${MESHPLANE_VM_TESTS:-}"
} > "$out/run.env"
case "$accel" in
  kvm) accel_args=(-accel kvm -cpu host) ;;
  *) accel_args=(-accel tcg,thread=multi -cpu max) ;;
esac
smp=$(nproc); [ "$smp" -gt 4 ] && smp=4
# the guest stops its own script first, so it can still report and power off
guest_timeout=$(( timeout_s > 180 ? timeout_s - 60 : timeout_s * 2 / 3 ))
say "booting $kver under qemu ($accel, $smp cpu, ${mem} MiB, limit ${timeout_s}s); console: target/vm/console.log"
set +e
timeout --kill-after=10 "$timeout_s" qemu-system-x86_64 "${accel_args[@]}" -smp "$smp" -m "$mem" \
  -nodefaults -display none -no-reboot -monitor none -serial "file:$vm/console.log" \
  -kernel "$vmlinuz" -initrd "$vm/initramfs.cpio" \
  -append "console=ttyS0 loglevel=4 panic=-1 mitigations=off mp.out=$out mp.guest=$root/scripts/vm/guest.sh mp.timeout=$guest_timeout" \
  -virtfs "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap" \
  -virtfs "local,path=$out,mount_tag=results,security_model=none,multidevs=remap" \
  > "$vm/qemu.log" 2>&1
qrc=$?
set -e
[ -d "$out/reports" ] && cp -r "$out/reports" "$vm/reports"
say "qemu exited $qrc"
status="$(cat "$out/status" 2>/dev/null || true)"
stage="$(cat "$out/stage" 2>/dev/null || true)"
# before the results share is mounted, the console is the only record of the stage
[ -n "$stage" ] || stage="$(sed -n 's/^meshplane-vm: stage \([a-z-]*\).*/\1/p' "$vm/console.log" 2>/dev/null | tail -n1)"
if [ "$status" = ok ]; then
  say "tests passed (reports: target/vm/reports)"
  exit 0
fi
if [ -z "$status" ]; then
  if [ "$qrc" -eq 124 ] || [ "$qrc" -eq 137 ]; then why="qemu killed after ${timeout_s}s in stage ${stage:-boot}"
  elif ! grep -q "meshplane-vm: init" "$vm/console.log" 2>/dev/null; then why="the kernel did not reach init (qemu exit $qrc: $(head -c 300 "$vm/qemu.log"))"
  else why="$(grep "meshplane-vm: status" "$vm/console.log" | tail -n1)"; why="${why:-no status from the guest, stage ${stage:-boot}}"
  fi
  tail -n 20 "$vm/console.log" >&2 || true
  die "${stage:-boot}" "$why (console: target/vm/console.log)"
fi
case "$status" in
  "fail tests:"*) echo "vm-test: FAILED tests: ${status#fail tests: } (target/vm/out/junit.log)" >&2; exit 1 ;;
  *) tail -n 20 "$vm/console.log" >&2; die "$(echo "$status" | sed 's/^fail \([a-z-]*\).*/\1/')" "${status#fail } (console: target/vm/console.log)" ;;
esac
