#!/usr/bin/env bash
# Puts Debian's Prometheus 2.42 binaries (prometheus, promtool) into deploy/.tools/prometheus/ without installing
# the package: `apt-get download` + `dpkg-deb -x`, so no system service is started and nothing else on the machine
# changes. Sourced by deploy/check.sh and deploy/prometheus/prove.sh; sets PROMTOOL and PROMETHEUS.
#   . deploy/prometheus/tools.sh && ensure_prometheus_tools

ensure_prometheus_tools() {
  local root tools version deb
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  tools="$root/deploy/.tools/prometheus"
  PROMTOOL="$tools/usr/bin/promtool"
  PROMETHEUS="$tools/usr/bin/prometheus"
  if [ -x "$PROMTOOL" ] && [ -x "$PROMETHEUS" ]; then return 0; fi
  echo "[tools] fetching Debian's prometheus package into deploy/.tools/prometheus" >&2
  if ! apt-cache policy prometheus 2>/dev/null | grep -q 'Candidate: [0-9]'; then
    if [ "$(id -u)" = 0 ]; then apt-get update -qq; else sudo apt-get update -qq; fi
  fi
  version=$(apt-cache policy prometheus | awk '/Candidate:/ {print $2}')
  if [ -z "$version" ] || [ "$version" = "(none)" ]; then echo "[tools] no Debian package 'prometheus' found" >&2; return 1; fi
  rm -rf "$tools.download" && mkdir -p "$tools.download"
  # (as root apt warns that it downloads unsandboxed into a folder _apt cannot write: harmless here)
  (cd "$tools.download" && apt-get download -q "prometheus=$version" >&2 2>/dev/null) || true
  deb=$(find "$tools.download" -name 'prometheus_*.deb' | head -1)
  [ -n "$deb" ] || { echo "[tools] apt-get download prometheus failed" >&2; return 1; }
  rm -rf "$tools" && mkdir -p "$tools"
  dpkg-deb -x "$deb" "$tools"
  rm -rf "$tools.download"
  "$PROMTOOL" --version >/dev/null
}
