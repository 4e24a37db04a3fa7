#!/usr/bin/env bash
# Installs what meshplane needs on Debian 12, and nothing that is already there.
# Used by demo.sh, test.sh and meshctl; safe to run again.
set -euo pipefail

packages=(
  openjdk-17-jdk-headless  # build and run (release 17)
  maven                    # the build
  iproute2                 # ip / bridge / genl: the tests' independent witnesses
  iputils-ping             # reachability in the lab
  util-linux               # nsenter, for people entering lab hosts
  nftables                 # nft: witness for the netfilter socket tests
  procps                   # sysctl
  libpcap0.8               # pcap4j captures (meshctl trace)
  tcpdump                  # witness for captures
  socat                    # TCP echo for overlay traffic tests
  iperf3                   # throughput benchmarks
  wrk                      # HTTP load generator (bench-lb.sh)
  curl                     # HTTP client: the control plane e2e tests and the demo
  nginx-light              # HTTP backends with stub_status (bench-lb.sh runs its own instances)
  haproxy                  # the TCP-mode reference load balancer (bench-lb.sh)
  dnsutils                 # dig: the embedded DNS's e2e client
  busybox-static           # busybox nslookup: a second resolver implementation (static: the VM tier's too)
  dnsperf                  # bench-dns.sh
  dnsmasq-base             # bench-dns.sh's reference server, and the e2e tests' stub upstream
  openssl                  # openssl x509 / verify / s_client: the PKI and TLS tests' witness
  tshark                   # the witness that node-to-node traffic on 2377 and 2378 is TLS records only
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: missing ${missing[*]} and not root: run as root (apt-get install)" >&2
    exit 1
  fi
  echo "install-deps: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  log="$(mktemp /tmp/meshplane-apt.XXXXXX)"
  if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
    cat "$log" >&2; rm -f "$log"
    echo "install-deps: apt-get could not install ${missing[*]}" >&2
    exit 1
  fi
  rm -f "$log"
fi
