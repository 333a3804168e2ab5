#!/usr/bin/env bash
# Analyzer throughput (MB/s of JSON, one thread) on every vega and simdjson corpus file, then on any files or
# directories given after the seconds (each argument one line: a directory's .json/.ndjson files together; this
# part is bench/AnalyzerFiles.java). Builds in the reactor and takes the classpath from it: installs nothing.
#   bench/analyzer.sh [seconds per file, default 2] [FILE|DIR ...]
#   bench/analyzer.sh 1 bench/.data/wide-50x20000         # e.g. the wide tabular files of bench/run.sh
set -euo pipefail
root=$(realpath "$(dirname "$0")/..")
seconds=${1:-2}
shift || true
extra=() # relative to the repository when inside it
for path in "$@"; do extra+=("$(realpath --relative-base="$root" "$path")"); done
cd "$root"
build=$(mktemp)
if ! mvn -B -q -DskipTests -Dstyle.color=never -pl common-model,worker-service -am package dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt >"$build" 2>&1; then
  tail -30 "$build" >&2
  echo "analyzer.sh: the build failed (above)" >&2
  exit 1
fi
rm -f "$build"
classpath="worker-service/target/test-classes:worker-service/target/classes:$(cat worker-service/target/bench-classpath.txt)"
{
  java -Xmx512m -cp "$classpath" dev.stowage.worker.analysis.AnalyzerBenchmark "$seconds"
  if [ ${#extra[@]} -gt 0 ]; then
    java -Xmx1g -cp "$classpath" bench/AnalyzerFiles.java "$seconds" "${extra[@]}"
  fi
} | tee bench/analyzer-latest.txt
