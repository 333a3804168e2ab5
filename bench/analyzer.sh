#!/usr/bin/env bash
# Analyzer throughput (MB/s of JSON, one thread) on every vega and simdjson corpus file.
#   bench/analyzer.sh [seconds per file, default 2]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests install -pl common-model,worker-service -am >/dev/null
mvn -B -q -Dstyle.color=never -pl worker-service dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
classpath=$(cat worker-service/target/bench-classpath.txt)
java -Xmx512m -cp "worker-service/target/test-classes:worker-service/target/classes:$classpath" \
  dev.stowage.worker.analysis.AnalyzerBenchmark "${1:-2}" | tee bench/analyzer-latest.txt
