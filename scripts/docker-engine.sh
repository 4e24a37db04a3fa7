#!/usr/bin/env bash
# The local Docker engine for meshplane's docker executor (docs/docker-executor.md).
#
#   docker-engine.sh start    install docker.io if missing; start dockerd in the background if
#                             none runs (its own pidfile, log in /var/log/meshplane-dockerd.log);
#                             wait, bounded, until `docker info` answers
#   docker-engine.sh image    build meshplane/busybox:latest (docker import of a busybox-static
#                             root file system) if the engine does not have it
#   docker-engine.sh status   say whether dockerd runs, who started it, and whether the image is there
#   docker-engine.sh stop     stop the dockerd this script started (by its pidfile), nothing else
#
# dockerd must not change the machine's own network namespace: no docker0 bridge, no iptables or
# nftables rules, no ip_forward change. Containers run with network "none"; meshplane plumbs their
# namespaces itself. A dockerd already running is reused only if it has no bridge network.
# Idempotent: every command can be run again.
set -euo pipefail

readonly PIDFILE=/run/meshplane-dockerd.pid
readonly LOG=/var/log/meshplane-dockerd.log
readonly SOCK=/var/run/docker.sock
readonly CONFIG=/run/meshplane-dockerd.json
readonly IMAGE=meshplane/busybox:latest
readonly START_WAIT_S=60

die() { echo "docker-engine: $*" >&2; exit 1; }
note() { echo "docker-engine: $*" >&2; }

# The distribution's client (/usr/bin/docker), which matches its dockerd, before any other on PATH.
docker_cli() {
  if [ -x /usr/bin/docker ]; then /usr/bin/docker -H "unix://$SOCK" "$@"; else docker -H "unix://$SOCK" "$@"; fi
}

our_pid() {
  [ -f "$PIDFILE" ] || return 1
  local pid
  pid="$(cat "$PIDFILE" 2>/dev/null || true)"
  [ -n "$pid" ] && [ -d "/proc/$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = dockerd ] && echo "$pid"
}

any_dockerd_pid() { pgrep -x dockerd | head -n1; }

install_engine() {
  command -v dockerd >/dev/null 2>&1 && return 0
  [ "$(id -u)" -eq 0 ] || die "dockerd is not installed and we are not root: run as root (apt-get install docker.io)"
  note "installing docker.io"
  # The package must not start a dockerd of its own (with its default bridge) on a machine whose
  # init runs services: forbid service starts for the time of the install, as policy-rc.d allows.
  local policy=/usr/sbin/policy-rc.d made_policy=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"; chmod 755 "$policy"; made_policy=1
  fi
  local log rc=0
  log="$(mktemp /tmp/meshplane-apt.XXXXXX)"
  export DEBIAN_FRONTEND=noninteractive
  { apt-get install -y -qq --no-install-recommends docker.io ||
    { apt-get update -qq && apt-get install -y -qq --no-install-recommends docker.io; }; } >"$log" 2>&1 || rc=$?
  [ "$made_policy" -eq 1 ] && rm -f "$policy"
  if [ "$rc" -ne 0 ]; then
    cat "$log" >&2; rm -f "$log"
    die "apt-get could not install docker.io (exit $rc)"
  fi
  rm -f "$log"
  command -v dockerd >/dev/null 2>&1 || die "docker.io installed but dockerd is not on PATH"
}

# A running engine we did not start is used only if it has no bridge: a bridge means it made
# docker0 (and probably NAT rules) in the machine's own namespace.
check_foreign_engine() {
  local pid="$1"
  local cmdline
  cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)"
  if docker_cli network inspect bridge >/dev/null 2>&1; then
    die "a dockerd not started by this script runs (pid $pid: $cmdline) and it has a bridge network" \
      "(docker0 in the machine's own namespace): not using it; stop it or restart it with --bridge=none --iptables=false"
  fi
  if ip -o link show docker0 >/dev/null 2>&1; then
    die "a dockerd runs (pid $pid: $cmdline) and docker0 exists in the machine's own namespace: not using it"
  fi
  note "reusing the running dockerd (pid $pid: $cmdline): it has no bridge network"
}

wait_for_engine() {
  local deadline=$((SECONDS + START_WAIT_S))
  while [ "$SECONDS" -lt "$deadline" ]; do
    if docker_cli info >/dev/null 2>&1; then return 0; fi
    if [ -n "${1:-}" ] && [ ! -d "/proc/$1" ]; then
      tail -n 30 "$LOG" >&2 || true
      die "dockerd (pid $1) exited while starting; its log is $LOG"
    fi
    sleep 0.5
  done
  tail -n 30 "$LOG" >&2 || true
  die "dockerd did not answer on $SOCK within ${START_WAIT_S}s; its log is $LOG"
}

cmd_start() {
  install_engine
  local pid
  if pid="$(our_pid)"; then
    wait_for_engine "$pid"
    note "dockerd (pid $pid) already runs, started by this script"
    return 0
  fi
  if pid="$(any_dockerd_pid)" && [ -n "$pid" ]; then
    wait_for_engine "$pid"
    check_foreign_engine "$pid"
    return 0
  fi
  [ "$(id -u)" -eq 0 ] || die "starting dockerd needs root"
  # Our own (empty) config file, so an /etc/docker/daemon.json cannot bring a bridge back.
  echo '{}' >"$CONFIG"
  local flags=(
    --host "unix://$SOCK"
    --pidfile "$PIDFILE"
    --config-file "$CONFIG"
    --bridge=none         # no docker0 and no default bridge network
    --iptables=false      # no iptables/nftables rules in the machine's namespace
    --ip-forward=false    # leave net.ipv4.ip_forward as it is
    --ip-masq=false       # no masquerading rules
    --userland-proxy=false
  )
  # dockerd 20.10 has no --ip6tables (ip6tables rules are off unless it is given); newer ones do.
  if dockerd --help 2>&1 | grep -q -- '--ip6tables'; then flags+=(--ip6tables=false); fi
  note "starting dockerd ${flags[*]} (log $LOG)"
  echo "=== $(date -Is) docker-engine.sh start: dockerd ${flags[*]}" >>"$LOG"
  setsid dockerd "${flags[@]}" </dev/null >>"$LOG" 2>&1 &
  local started=$!
  wait_for_engine "$started"
  pid="$(our_pid)" || die "dockerd answers but its pidfile $PIDFILE does not name it"
  note "dockerd runs (pid $pid)"
}

cmd_image() {
  docker_cli info >/dev/null 2>&1 || die "dockerd does not answer on $SOCK: run '$0 start' first"
  if docker_cli image inspect "$IMAGE" >/dev/null 2>&1; then
    note "$IMAGE is there"
    return 0
  fi
  local busybox=/bin/busybox
  # A static busybox runs in an image with nothing else in it; the busybox package's is dynamic.
  if ! dpkg-query -S "$busybox" 2>/dev/null | grep -q '^busybox-static:'; then
    [ "$(id -u)" -eq 0 ] || die "$busybox is not busybox-static's and we are not root to install it"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends busybox-static >/dev/null 2>&1 ||
      die "apt-get could not install busybox-static"
  fi
  "$busybox" --list >/dev/null 2>&1 || die "$busybox does not run"
  (
    root="$(mktemp -d /tmp/meshplane-busybox-rootfs.XXXXXX)"
    trap 'rm -rf "$root"' EXIT
    mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,tmp,proc,sys,dev,root,var/log,www}
    chmod 1777 "$root/tmp"
    cp "$busybox" "$root/bin/busybox"
    for applet in $("$busybox" --list); do
      [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
    done
    printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$root/etc/passwd"
    printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
    tar -C "$root" --numeric-owner -cf - . |
      docker_cli import --change 'ENV PATH=/bin:/sbin:/usr/bin:/usr/sbin' --change 'CMD ["sh"]' \
        --message "meshplane: busybox-static root file system" - "$IMAGE" >/dev/null
  ) || die "could not build $IMAGE"
  note "built $IMAGE from $busybox"
}

cmd_status() {
  local pid
  if pid="$(our_pid)"; then
    echo "dockerd: running, pid $pid, started by this script (pidfile $PIDFILE, log $LOG)"
  elif pid="$(any_dockerd_pid)" && [ -n "$pid" ]; then
    echo "dockerd: running, pid $pid, not started by this script: $(tr '\0' ' ' <"/proc/$pid/cmdline")"
  else
    echo "dockerd: not running"
    return 0
  fi
  if docker_cli info >/dev/null 2>&1; then
    echo "engine: answers on $SOCK"
    if docker_cli image inspect "$IMAGE" >/dev/null 2>&1; then echo "image: $IMAGE present"; else echo "image: $IMAGE missing"; fi
  else
    echo "engine: does not answer on $SOCK"
  fi
}

cmd_stop() {
  local pid
  if ! pid="$(our_pid)"; then
    rm -f "$PIDFILE"
    note "no dockerd started by this script runs"
    return 0
  fi
  note "stopping dockerd (pid $pid)"
  kill -TERM "$pid"
  local deadline=$((SECONDS + 30))
  while [ -d "/proc/$pid" ] && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.5; done
  [ -d "/proc/$pid" ] && die "dockerd (pid $pid) did not stop within 30s"
  rm -f "$PIDFILE" "$CONFIG"
  note "dockerd stopped"
}

case "${1:-}" in
  start) cmd_start ;;
  image) cmd_image ;;
  status) cmd_status ;;
  stop) cmd_stop ;;
  *) echo "usage: $0 start|image|status|stop" >&2; exit 2 ;;
esac
