#!/usr/bin/env bash
# The benchmark suite of issue 8, one command: starts the stack (deploy/local/run.sh: gateway + 2 workers x
# concurrency 4), runs the scenarios from a separate load generator (bench/stowage_bench.py, Python standard
# library), next to PostgreSQL's own \copy, prints one table and writes bench/results/<UTC timestamp>.json
# (and a line in bench/results.jsonl); stops the stack it started. See bench/README.md.
#   bench/run.sh                      full run (about 4 minutes on 2 cores, after the build)
#   bench/run.sh --quick              scaled-down sizes: a smoke run
#   bench/run.sh --only small,copy    some scenarios: latency,small,tabular,docs,copy,analyzer,big
#   bench/run.sh --no-start           use the stack already running (skips big and the workers-stopped latency)
#   bench/run.sh --no-build           start the jars already built
set -euo pipefail
exec python3 "$(dirname "$0")/stowage_bench.py" "$@"
