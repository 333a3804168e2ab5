#!/usr/bin/env bash
# The benchmark suite, one command: starts the stack (deploy/local/run.sh: the gateway and one worker of
# concurrency 4), runs the scenarios from a separate load generator (bench/stowage_bench.py, Python standard
# library) beside the Celery peer and PostgreSQL's own \copy, prints two tables and writes
# bench/results/<UTC timestamp>.json (and a line in bench/results.jsonl); stops the stack it started.
# See docs/performance.md.
#   bench/run.sh                      full run (about 13 minutes on 2 cores, after the build)
#   bench/run.sh --quick              scaled-down sizes: a smoke run
#   bench/run.sh --only warm,narrow   some scenarios: peer,cold,warm,watched,status,narrow,wide,docs,latency,copy,analyzer,big
#   bench/run.sh --no-start           use the stack already running (skips cold, big, the workers-stopped latency)
#   bench/run.sh --no-build           start the jars already built
set -euo pipefail
exec python3 "$(dirname "$0")/stowage_bench.py" "$@"
