#!/usr/bin/env bash
# Proves the compose stack for real (deploy/docker/prove.py stack): builds what is missing (the jars; the images,
# by default with the stand-ins of build-images.sh --local-deps for hosts that cannot pull registry images),
# starts docker-compose.yml with 3 workers, uploads 500 files while a worker is killed, the workers scaled to 4
# and one stopped with SIGTERM, checks every file's rows, Prometheus' view of every replica and that down -v
# leaves nothing. Prints a table of the checks and figures; exits 1 on the first that fails, with the logs.
# deploy/docker/cluster-prove.sh runs the RabbitMQ cluster's proof the same way (--cluster).
#
# Usage: deploy/docker/prove.sh [--official-images]   (the registries' rabbitmq, postgres, prom/prometheus and
#        eclipse-temurin images instead of the local stand-ins)
set -euo pipefail
cd "$(dirname "$0")/../.."
proof=stack
images=--local-deps
for arg in "$@"; do
  case "$arg" in
    --cluster) proof=cluster ;;
    --official-images) images= ;;
    *) echo "unknown argument '$arg' (see deploy/docker/prove.sh)" >&2; exit 2 ;;
  esac
done
for tool in docker python3; do
  command -v "$tool" >/dev/null || { echo "$tool is missing (apt-get install docker.io python3)" >&2; exit 1; }
done
if [ ! -f api-gateway/target/api-gateway.jar ] || [ ! -f worker-service/target/worker-service.jar ] \
  || [ ! -f api-gateway/target/api-gateway.sbom.json ] || [ ! -f worker-service/target/worker-service.sbom.json ]; then
  echo "[prove] building the jars and their SBOMs (mvn -B -q -DskipTests package)"
  mvn -B -q -DskipTests package
fi
# shellcheck disable=SC2086 # one flag or none
deploy/docker/build-images.sh $images
exec python3 deploy/docker/prove.py "$proof"
