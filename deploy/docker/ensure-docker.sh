#!/usr/bin/env bash
# Makes sure a Docker engine answers here: installs Debian's docker.io, docker-compose and debootstrap (for the
# stand-in images of build-images.sh --local-deps) when missing, and starts dockerd when no engine answers (a
# Debian machine without systemd). Prints "started" on its last line when it started dockerd, so that a caller
# can stop it again (kill "$(cat /var/run/docker.pid)"). Safe to run again and again.
set -euo pipefail

log() { printf '[ensure-docker] %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
command -v dockerd >/dev/null || missing+=(docker.io)
command -v docker-compose >/dev/null || docker compose version >/dev/null 2>&1 || missing+=(docker-compose)
command -v debootstrap >/dev/null || missing+=(debootstrap)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if docker info >/dev/null 2>&1; then
  log "the Docker engine answers"
  exit 0
fi
log "starting dockerd (log: /var/log/dockerd.log)"
as_root sh -c 'nohup setsid dockerd >/var/log/dockerd.log 2>&1 </dev/null &'
for _ in $(seq 1 60); do
  if docker info >/dev/null 2>&1; then
    log "the Docker engine answers"
    echo started
    exit 0
  fi
  sleep 1
done
log "dockerd did not answer within 60 s; its log:"
tail -30 /var/log/dockerd.log >&2 || true
exit 1
