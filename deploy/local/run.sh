#!/usr/bin/env bash
# Runs Stowage on this machine: builds the jars, makes sure RabbitMQ and PostgreSQL are up, starts the gateway
# and two workers in the background, waits until they are healthy and prints where they are.
#   deploy/local/run.sh              build and start
#   deploy/local/run.sh --no-build   start the jars already built
#   deploy/local/stop.sh             stop them again
# Any STOWAGE_*, SPRING_* variable set in the environment is passed on (docs/configuration.md lists them).
# GATEWAY_JAVA_OPTS and WORKER_JAVA_OPTS are added to the gateway's and each worker's java command line
# (e.g. WORKER_JAVA_OPTS=-Xmx256m deploy/local/run.sh --no-build, as bench/run.sh does for its 200 MB file).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
run_dir="$root/run"
mkdir -p "$run_dir"

deploy/local/ensure-services.sh
if [ "${1:-}" != "--no-build" ]; then
  mvn -B -q -DskipTests package
fi
deploy/local/stop.sh >/dev/null 2>&1 || true

GATEWAY_PORT=${GATEWAY_PORT:-8080}
WORKERS=${WORKERS:-2}
# Local only: the services listen on 127.0.0.1, and without STOWAGE_API_KEYS the API takes two well-known keys
# (deploy/local/demo.py and bench/ use the admin one). Never reuse these anywhere reachable from outside.
export SERVER_ADDRESS=${SERVER_ADDRESS:-127.0.0.1}
local_keys=local-admin-key=default:ADMIN,local-user-key=default:USER
export STOWAGE_API_KEYS=${STOWAGE_API_KEYS:-$local_keys}
if [ "$STOWAGE_API_KEYS" = "$local_keys" ]; then
  keys="local-admin-key (ADMIN) and local-user-key (USER), tenant default"
else
  keys="those of STOWAGE_API_KEYS"
fi

start() { # name jar port java-options (split on spaces)
  # shellcheck disable=SC2086
  SERVER_PORT=$3 nohup java $4 -jar "$2" >"$run_dir/$1.log" 2>&1 &
  echo $! >"$run_dir/$1.pid"
}
wait_healthy() { # name port
  for _ in $(seq 1 120); do
    # Our process must be alive: an UP from the port alone could be another stack still listening there.
    if ! kill -0 "$(cat "$run_dir/$1.pid")" 2>/dev/null; then
      echo "$1 exited; last lines of run/$1.log:" >&2; tail -20 "$run_dir/$1.log" >&2; exit 1
    fi
    if grep -q "Started .*Application" "$run_dir/$1.log" &&
      curl -fs "http://127.0.0.1:$2/actuator/health" | grep -q '"UP"'; then
      return 0
    fi
    sleep 1
  done
  echo "$1 did not become healthy; see run/$1.log" >&2; exit 1
}

# The gateway first: it migrates the database schema that the workers then use.
start gateway api-gateway/target/api-gateway.jar "$GATEWAY_PORT" "${GATEWAY_JAVA_OPTS:-}"
wait_healthy gateway "$GATEWAY_PORT"
for n in $(seq 1 "$WORKERS"); do
  start "worker-$n" worker-service/target/worker-service.jar $((8080 + n)) "${WORKER_JAVA_OPTS:-}"
done
for n in $(seq 1 "$WORKERS"); do
  wait_healthy "worker-$n" $((8080 + n))
done

cat <<TEXT
Stowage is running.
  API              http://127.0.0.1:$GATEWAY_PORT/api/v1/jobs  (send Authorization: Bearer <key>)
  API keys         $keys
  gateway health   http://127.0.0.1:$GATEWAY_PORT/actuator/health   metrics: /actuator/prometheus
  workers          $(for n in $(seq 1 "$WORKERS"); do printf 'http://127.0.0.1:%s/actuator/health  ' $((8080 + n)); done)
  RabbitMQ UI      http://127.0.0.1:15672 (guest/guest, localhost only)
  PostgreSQL       psql -h 127.0.0.1 -U postgres -d postgres  (the tables made from files: schema ${STOWAGE_DATASETS_SCHEMA:-datasets})
  logs             run/*.log
Try: deploy/local/demo.py  (more: README.md, docs/api.md)    Stop: deploy/local/stop.sh
TEXT
