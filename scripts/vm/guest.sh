#!/usr/bin/env bash
# Runs inside the vm tier's guest, chrooted into the host's root (read-only, over 9p), with the
# guest's own kernel: checks java, then runs the vm-tagged JUnit tests with the JUnit Platform
# Console Launcher. Argument: the results directory (the writable 9p share) holding run.env,
# written by scripts/vm-test.sh on the host. Writes stage, status and reports/ there.
set -uo pipefail
out="$1"
# shellcheck source=/dev/null
. "$out/run.env"
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/tmp/home LANG=C.UTF-8
mkdir -p "$HOME" /tmp/jna
stage() { echo "$1" > "$out/stage"; echo "meshplane-vm: stage $1"; }
fail() { echo "fail $*" > "$out/status"; echo "meshplane-vm: fail $*"; exit 1; }

stage java
start=$(date +%s)
"$JAVA" -version > "$out/java-version.txt" 2>&1 || fail "java: $JAVA -version: $(head -c 400 "$out/java-version.txt")"
echo "meshplane-vm: java -version took $(( $(date +%s) - start ))s: $(head -n1 "$out/java-version.txt")"

stage tests
start=$(date +%s)
only=(); [ -n "${ONLY:-}" ] && only=("--include-classname=$ONLY")
# shellcheck disable=SC2086
"$JAVA" $JAVA_OPTS -jar "$LAUNCHER" execute --disable-banner --disable-ansi-colors --details=tree --details-theme=ascii \
  --include-engine=junit-jupiter --include-tag=vm --fail-if-no-tests "${only[@]}" \
  --class-path="$TEST_CLASSPATH" --scan-class-path="$SCAN" --reports-dir="$out/reports" \
  2>&1 | tee "$out/junit.log"
rc=${PIPESTATUS[0]}
echo "meshplane-vm: tests took $(( $(date +%s) - start ))s, launcher exit $rc"
if [ "$rc" -eq 0 ]; then
  echo ok > "$out/status"
else
  fail "tests: the JUnit launcher exited $rc (details in junit.log)"
fi
