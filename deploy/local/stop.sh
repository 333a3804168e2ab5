#!/usr/bin/env bash
# Stops what deploy/local/run.sh started (SIGTERM: in-flight files finish or go back to the queue).
set -uo pipefail
run_dir="$(dirname "$0")/../../run"
for pid_file in "$run_dir"/*.pid; do
  [ -e "$pid_file" ] || continue
  pid=$(cat "$pid_file")
  if kill "$pid" 2>/dev/null; then
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null && echo "killed $(basename "$pid_file" .pid) (did not stop in 20 s)"
    echo "stopped $(basename "$pid_file" .pid)"
  fi
  rm -f "$pid_file"
done
