#!/usr/bin/env bash
# Makes sure what Stowage needs on this machine is installed and running: Java 17, Maven, RabbitMQ and
# PostgreSQL (Debian packages), reachable on 127.0.0.1:5672 and 127.0.0.1:5432. Safe to run again and again.
set -euo pipefail

log() { printf '[ensure-services] %s\n' "$*"; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_updated=false
install() {
  if ! $apt_updated; then as_root apt-get update -qq; apt_updated=true; fi
  log "installing $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

if ! command -v java >/dev/null || ! java -version 2>&1 | grep -qE 'version "(1[7-9]|[2-9][0-9])'; then
  install openjdk-17-jdk-headless
fi
command -v mvn >/dev/null || install maven
command -v psql >/dev/null || true

# PostgreSQL
if ! port_open 5432; then
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    install postgresql
    version=$(find /etc/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -V | tail -1)
    # A fresh Debian cluster asks for passwords on TCP; Stowage's local defaults use the trusted local user.
    sed -i '1i host all postgres 127.0.0.1/32 trust' "/etc/postgresql/$version/main/pg_hba.conf"
  fi
  log "starting PostgreSQL"
  as_root pg_ctlcluster --skip-systemctl-redirect "$(find /etc/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -V | tail -1)" main start || true
fi

# RabbitMQ
if ! port_open 5672; then
  command -v rabbitmq-server >/dev/null || install rabbitmq-server
  log "starting RabbitMQ"
  as_root rabbitmq-server -detached
fi
# The management UI (port 15672) is where operators look at queues and dead letters; the shovel plugins give
# it "Move messages", which replays dead letters (the system tests use it); rabbitmq_prometheus serves the
# broker's own metrics on :15692 for Prometheus (the metrics test checks the dashboard against it).
plugins="rabbitmq_management rabbitmq_shovel rabbitmq_shovel_management rabbitmq_prometheus"
if command -v rabbitmq-plugins >/dev/null; then
  enabled=$(rabbitmq-plugins list -e -m 2>/dev/null || true)
  for plugin in $plugins; do
    if ! grep -qx "$plugin" <<<"$enabled"; then
      log "enabling RabbitMQ plugins: $plugins"
      # shellcheck disable=SC2086 # one word per plugin
      as_root rabbitmq-plugins enable $plugins >/dev/null
      break
    fi
  done
fi

for _ in $(seq 1 60); do
  if port_open 5432 && port_open 5672 && port_open 15672 && port_open 15692; then
    log "PostgreSQL on 127.0.0.1:5432, RabbitMQ on 127.0.0.1:5672, its management API on :15672 and metrics on :15692 are up"
    exit 0
  fi
  sleep 1
done
port_open 5432 || log "PostgreSQL is NOT reachable on 127.0.0.1:5432"
port_open 5672 || log "RabbitMQ is NOT reachable on 127.0.0.1:5672"
port_open 15672 || log "RabbitMQ's management API is NOT reachable on 127.0.0.1:15672"
port_open 15692 || log "RabbitMQ's Prometheus endpoint is NOT reachable on 127.0.0.1:15692"
exit 1
